#pragma once
// Which texts a snapshot keeps in memory. A large region has tens of thousands of records, each
// with several texts in several languages, and most of them nobody reads on a given kiosk: lists
// and cards need names and short texts in the languages the kiosk offers, and only an open detail
// page needs a description. So a kiosk's snapshot leaves the long texts and the other languages in
// the cache (nothing is dropped from it) and a detail page loads its long texts when it opens.

#include "content/localized_text.hpp"
#include "content/model.hpp"

#include <string>
#include <vector>

namespace kohtaamo {

/// Where descriptions and accessibility notes are: in the snapshot's records, or only in the cache.
enum class LongTexts { InMemory, InCache };

struct TextSelection {
    /// The languages kept in memory; fi, sv and en always stay, being the last resort of
    /// LocalizedText::in(). Empty: every language.
    std::vector<std::string> languages;
    LongTexts longTexts = LongTexts::InMemory;
};

/// The long texts of one record: what a snapshot built with LongTexts::InCache leaves out of it.
struct DetailTexts {
    LocalizedText description;
    LocalizedText accessibility;   ///< places only
    [[nodiscard]] bool empty() const { return description.empty() && accessibility.empty(); }
    bool operator==(const DetailTexts&) const = default;
};

/// Trims a record read for a snapshot to `selection`, and lets its texts share buffers with the
/// equal texts of the records read before it.
void selectTexts(Place& place, const TextSelection& selection, SharedTexts& shared);
void selectTexts(Service& service, const TextSelection& selection, SharedTexts& shared);
void selectTexts(Event& event, const TextSelection& selection, SharedTexts& shared);
void selectTexts(Announcement& announcement, const TextSelection& selection, SharedTexts& shared);

/// The long texts of a record, moved out of it.
[[nodiscard]] DetailTexts takeDetailTexts(Place& place);
[[nodiscard]] DetailTexts takeDetailTexts(Service& service);
[[nodiscard]] DetailTexts takeDetailTexts(Event& event);

} // namespace kohtaamo
