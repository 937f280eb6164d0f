import json,glob,sys,re
for spec in sys.argv[1:]:
    name,paths=spec.split('=')
    n=0;bad=0
    for p in paths.split('+'):
        for f in glob.glob(p+'-s*/result.json'):
            m=list(json.load(open(f))['methods'].values())[0]
            n+=1; bad+= m['lambda'][0] < -4
    print(name, n, 'worse basin (λ1 < -4):', bad)
