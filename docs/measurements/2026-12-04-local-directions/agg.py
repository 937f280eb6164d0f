import json,statistics as st,sys
res=[]
for f in sys.argv[1:]:
    for l in open(f):
        if l.startswith('JSON'): res+=json.loads(l[5:])
keys=list(res[0])
print(len(res),'seeds')
for k in keys: print(k,'loss %.4f acc %.2f'%(st.mean(r[k][0] for r in res),100*st.mean(r[k][1] for r in res)))
ref='random20' if 'random20' in keys else 'design'
for k in keys:
    if k==ref: continue
    d=[100*(r[k][1]-r[ref][1]) for r in res]; dl=[r[k][0]-r[ref][0] for r in res]
    print(k,'-',ref,': acc %+.3f ± %.3f pp, loss %+.4f ± %.4f'%(st.mean(d),st.stdev(d)/len(d)**.5,st.mean(dl),st.stdev(dl)/len(dl)**.5))
if ref!='design':
  for k in keys:
    if k in (ref,'design'): continue
    d=[100*(r[k][1]-r['design'][1]) for r in res]; dl=[r[k][0]-r['design'][0] for r in res]
    print(k,'- design: acc %+.3f ± %.3f pp, loss %+.4f ± %.4f'%(st.mean(d),st.stdev(d)/len(d)**.5,st.mean(dl),st.stdev(dl)/len(dl)**.5))
