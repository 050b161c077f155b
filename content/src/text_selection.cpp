#include "content/text_selection.hpp"

#include <utility>

namespace kohtaamo {
namespace {

template <class Fn>
void forEachText(OpeningHours& hours, Fn&& fn)
{
    for (WeeklyHours& weekly : hours.weekly) fn(weekly.note);
    for (HoursException& exception : hours.exceptions) fn(exception.note);
    fn(hours.notes);
}

template <class Fn>
void forEachText(Place& place, Fn&& fn)
{
    for (LocalizedText* text : {&place.name, &place.description, &place.address.street, &place.address.city,
                                &place.accessibility}) {
        fn(*text);
    }
    forEachText(place.hours, fn);
}

template <class Fn>
void forEachText(Service& service, Fn&& fn)
{
    for (LocalizedText* text : {&service.name, &service.summary, &service.description, &service.cost.description,
                                &service.organisationName}) {
        fn(*text);
    }
    for (ServiceHoursAtPlace& own : service.hoursAtPlaces) forEachText(own.hours, fn);
}

template <class Fn>
void forEachText(Event& event, Fn&& fn)
{
    for (LocalizedText* text : {&event.title, &event.description, &event.locationText, &event.cost.description}) {
        fn(*text);
    }
    for (OccurrenceOverride& change : event.schedule.overrides) fn(change.title);
}

template <class Fn>
void forEachText(Announcement& announcement, Fn&& fn)
{
    fn(announcement.title);
    fn(announcement.body);
}

template <class Record>
void select(Record& record, const TextSelection& selection, SharedTexts& shared)
{
    if constexpr (!std::is_same_v<Record, Announcement>) {
        if (selection.longTexts == LongTexts::InCache) (void)takeDetailTexts(record);
    }
    forEachText(record, [&](LocalizedText& text) {
        if (!selection.languages.empty()) text.keepOnly(selection.languages);
        shared.share(text);
    });
}

} // namespace

void selectTexts(Place& place, const TextSelection& selection, SharedTexts& shared) { select(place, selection, shared); }
void selectTexts(Service& service, const TextSelection& selection, SharedTexts& shared) { select(service, selection, shared); }
void selectTexts(Event& event, const TextSelection& selection, SharedTexts& shared) { select(event, selection, shared); }
void selectTexts(Announcement& announcement, const TextSelection& selection, SharedTexts& shared)
{
    select(announcement, selection, shared);
}

DetailTexts takeDetailTexts(Place& place)
{
    return DetailTexts{std::exchange(place.description, {}), std::exchange(place.accessibility, {})};
}

DetailTexts takeDetailTexts(Service& service) { return DetailTexts{std::exchange(service.description, {}), {}}; }

DetailTexts takeDetailTexts(Event& event) { return DetailTexts{std::exchange(event.description, {}), {}}; }

} // namespace kohtaamo
