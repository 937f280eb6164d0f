#include <QtTest>

#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "engine/config/config_error.h"
#include "engine/config/config_schema.h"
#include "engine/config/run_config_json.h"
#include "engine/config/validate.h"

using bt::config::FieldInfo;
using bt::config::RunConfig;
using nlohmann::json;

// The tables of config_schema.h are the one place a key is written: these checks hold for every
// row, so a new row is covered without a new test.
class TestConfigSchema : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyRowIsComplete() {
        std::set<std::string> paths;
        int rows = 0;
        const auto check = [&](std::string_view section) {
            return [&, section](const FieldInfo& info, const auto&) {
                ++rows;
                const std::string path = std::string(section) + "." + std::string(info.key);
                QVERIFY2(!info.key.empty(), path.c_str());
                QVERIFY2(!info.label.empty(), path.c_str());
                QVERIFY2(paths.insert(path).second, ("key given twice: " + path).c_str());
                for (const char c : info.key) {
                    QVERIFY2((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_',
                             ("not snake_case: " + path).c_str());
                }
            };
        };
        const RunConfig config;
        bt::config::visitFields(config, check("top"));
        bt::config::visitSections(config, [&](std::string_view name, const auto& s) {
            bt::config::visitFields(s, check(name));
        });
        QCOMPARE(static_cast<std::size_t>(rows), bt::config::allKeyPaths().size());
    }

    void theWriterWritesEveryKeyOfTheTablesAndNoOther() {
        RunConfig config;
        config.dataset.kind = bt::config::DatasetKind::Mnist;
        const json j = bt::config::toJson(config);
        std::set<std::string> written;
        for (const auto& [section, value] : j.items()) {
            if (value.is_object()) {
                for (const auto& item : value.items()) {
                    written.insert(section + "." + item.key());
                }
            } else {
                written.insert(section);
            }
        }
        const auto& paths = bt::config::allKeyPaths();
        QCOMPARE(written, std::set<std::string>(paths.begin(), paths.end()));
        const auto top = bt::config::topLevelKeys();
        QCOMPARE(j.size(), top.size());
    }

    void everyRangeIsEnforcedAtItsBound() {
        // For each key with a range, a value just outside it is a problem named by the key and
        // the bound itself is not.
        RunConfig base;
        base.dataset.kind = bt::config::DatasetKind::Mnist;
        QVERIFY(bt::config::validate(base).empty());
        int checked = 0;
        bt::config::visitSections(base, [&](std::string_view name, const auto& section) {
            using Section = std::remove_cvref_t<decltype(section)>;
            bt::config::visitFields(section, [&](const FieldInfo& info, const auto& member) {
                using T = std::remove_cvref_t<decltype(member)>;
                if (info.range.kind == bt::config::Range::Kind::None) {
                    return;
                }
                const std::string key = std::string(name) + "." + std::string(info.key);
                const auto problemsWith = [&](double value) {
                    RunConfig c = base;
                    // Writes `value` into the same member of c's copy of the section.
                    bt::config::visitSections(c, [&](std::string_view n, auto& s) {
                        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(s)>, Section>) {
                            if (n != name) {
                                return;
                            }
                            bt::config::visitFields(s, [&](const FieldInfo& i, auto& m) {
                                if constexpr (std::is_same_v<std::remove_cvref_t<decltype(m)>, T> &&
                                              std::is_arithmetic_v<T>) {
                                    if (i.key == info.key) {
                                        m = static_cast<T>(value);
                                    }
                                }
                            });
                        }
                    });
                    int count = 0;
                    for (const auto& p : bt::config::validate(c)) {
                        count += p.key == key ? 1 : 0;
                    }
                    return count;
                };
                const double bound = info.range.minimum;
                switch (info.range.kind) {
                case bt::config::Range::Kind::AtLeast:
                    QVERIFY2(problemsWith(bound) == 0, key.c_str());
                    QVERIFY2(problemsWith(bound - 1) == 1, key.c_str());
                    break;
                case bt::config::Range::Kind::Positive:
                    QVERIFY2(problemsWith(0.0) == 1, key.c_str());
                    break;
                case bt::config::Range::Kind::UnitInterval:
                    QVERIFY2(problemsWith(0.0) == 0, key.c_str());
                    QVERIFY2(problemsWith(1.0) == 1, key.c_str());
                    break;
                case bt::config::Range::Kind::Finite:
                    QVERIFY2(problemsWith(std::numeric_limits<double>::infinity()) == 1,
                             key.c_str());
                    break;
                case bt::config::Range::Kind::None:
                    break;
                }
                ++checked;
            });
        });
        QVERIFY(checked >= 20);
    }

    void problemsAreListedInTableOrder() {
        RunConfig c; // no dataset.kind
        c.hyperband.eta = 1;
        c.training.epochs = 0;
        c.methods.clear();
        const auto problems = bt::config::validate(c);
        QCOMPARE(problems.size(), std::size_t{4});
        QCOMPARE(problems[0].key, std::string("methods"));
        QCOMPARE(problems[1].key, std::string("dataset.kind"));
        QCOMPARE(problems[2].key, std::string("training.epochs"));
        QCOMPARE(problems[3].key, std::string("hyperband.eta"));
    }

    void unknownKeysSuggestTheNearestKeyOfTheTable() {
        try {
            bt::config::parseRunConfig(
                json{{"dataset", {{"kind", "mnist"}}}, {"bilevel", {{"inner_lr_lamda", 0.1}}}},
                "test");
            QFAIL("an unknown key was accepted");
        } catch (const bt::config::ConfigError& e) {
            QVERIFY2(std::string(e.what()).find("did you mean 'inner_lr_lambda'") !=
                         std::string::npos,
                     e.what());
        }
    }

    void theDesignDocumentListsTheKeysOfTheTables() {
        // docs/design/ARCHITECTURE.md holds keysMarkdown() between its markers: a key added,
        // renamed or given another default or range changes the document in the same commit.
        std::ifstream in(BT_ARCHITECTURE_MD);
        QVERIFY2(in, BT_ARCHITECTURE_MD);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        const std::string begin = "<!-- keys:begin";
        const std::string end = "<!-- keys:end -->";
        const auto from = text.find('\n', text.find(begin));
        const auto to = text.find(end);
        QVERIFY2(from != std::string::npos && to != std::string::npos && from < to,
                 "the keys markers are missing");
        const std::string expected = bt::config::keysMarkdown() + "\n";
        if (text.substr(from + 1, to - from - 1) != expected) {
            std::ofstream("keys.md") << expected;
            QFAIL("docs/design/ARCHITECTURE.md's keys differ from the tables: the current text "
                  "is in keys.md in the test's working folder");
        }
    }

    void describedRanges() {
        QCOMPARE(bt::config::describe(bt::config::atLeast(2)), std::string(">= 2"));
        QCOMPARE(bt::config::describe(bt::config::kPositive), std::string("> 0"));
        QCOMPARE(bt::config::describe(bt::config::kUnitInterval), std::string("in [0, 1)"));
        QCOMPARE(bt::config::describe(bt::config::Range{}), std::string());
    }
};

QTEST_GUILESS_MAIN(TestConfigSchema)
#include "test_config_schema.moc"
