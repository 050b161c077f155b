// A detail page's long texts come from the cache through the content service's worker: the page
// gets them a moment after it opens, the right record's, and never another page's.

#include "ui/detail_texts_loader.hpp"
#include "ui/ui_context.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <random>
#include <thread>

using namespace kohtaamo;

namespace {

class TempCache {
public:
    TempCache()
    {
        std::random_device random;
        m_dir = std::filesystem::temp_directory_path() / fmt::format("kohtaamo-detail-{}", random());
        std::filesystem::create_directories(m_dir);
    }
    ~TempCache()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
    [[nodiscard]] std::filesystem::path file() const { return m_dir / "cache.sqlite"; }

private:
    std::filesystem::path m_dir;
};

SourceContent content()
{
    SourceContent result;
    Place majakka{.id = "majakka", .name = {{"fi", "Majakka"}}};
    majakka.description = LocalizedText{{"fi", "Kohtaamispaikka lapsiperheille."}, {"se", "Deaivvadanbáiki."}};
    majakka.accessibility = LocalizedText{{"fi", "Esteetön."}};
    result.places.push_back(majakka);
    Service neuvola{.id = "neuvola", .name = {{"fi", "Neuvola"}}};
    neuvola.description = LocalizedText{{"fi", "Terveydenhoitajan vastaanotto."}};
    result.services.push_back(neuvola);
    return result;
}

/// Updates the loader as frames would until the answer is in (at most 5 s).
void settle(DetailTextsLoader& loader, const std::optional<DetailTarget>& target, const Snapshot& snapshot,
            std::uint64_t generation)
{
    loader.update(target, snapshot, generation);
    for (int waited = 0; loader.pending() && waited < 500; ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
        loader.update(target, snapshot, generation);
    }
}

} // namespace

TEST_CASE("a detail page gets its record's long texts from the cache, in every language")
{
    TempCache cache;
    {
        auto store = ContentStore::open(cache.file());
        REQUIRE(store);
        REQUIRE(store->replaceSource(SourceState{.id = "alue", .kind = "bundle"}, content()));
    }
    const Clock clock = [] { return Instant{std::chrono::seconds{1773129600}}; };
    auto service = ContentService::start(cache.file(), clock, FirstSnapshot::BeforeStartReturns,
                                         snapshotTexts(SiteConfig{}));
    REQUIRE(service);
    const auto snapshot = (*service)->snapshot();
    CHECK(snapshot->place("majakka")->description.empty());   // left in the cache

    DetailTextsLoader loader(**service);
    const DetailTarget place{DetailKind::Place, "majakka", std::nullopt};
    loader.update(place, *snapshot, 1);
    CHECK(loader.texts().empty());   // the frame does not wait
    settle(loader, place, *snapshot, 1);
    REQUIRE_FALSE(loader.pending());
    CHECK(loader.texts().description.in("fi") == "Kohtaamispaikka lapsiperheille.");
    CHECK(loader.texts().description.exactly("se") == "Deaivvadanbáiki.");
    CHECK(loader.texts().accessibility.in("fi") == "Esteetön.");

    // Another page: the previous page's texts are gone at once, the new ones follow.
    const DetailTarget neuvola{DetailKind::Service, "neuvola", std::nullopt};
    loader.update(neuvola, *snapshot, 1);
    CHECK(loader.texts().empty());
    settle(loader, neuvola, *snapshot, 1);
    CHECK(loader.texts().description.in("fi") == "Terveydenhoitajan vastaanotto.");

    // No detail page, or a record the snapshot does not have: nothing is asked for.
    loader.update(std::nullopt, *snapshot, 1);
    CHECK_FALSE(loader.pending());
    CHECK(loader.texts().empty());
    loader.update(DetailTarget{DetailKind::Event, "no-such-event", std::nullopt}, *snapshot, 1);
    CHECK_FALSE(loader.pending());
}

TEST_CASE("the kiosk keeps in memory every language it can show, and fi, sv, en")
{
    SiteConfig site;
    site.languages = {"fi", "uk"};
    site.defaultLanguage = "uk";
    const TextSelection selection = snapshotTexts(site);
    CHECK(selection.longTexts == LongTexts::InCache);
    for (const char* language : {"fi", "uk", "sv", "en"}) {
        CHECK(std::find(selection.languages.begin(), selection.languages.end(), language) != selection.languages.end());
    }
}
