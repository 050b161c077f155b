#include "content/text_selection.hpp"

#include <utility>

namespace kohtaamo {
namespace {

void keepLanguages(LocalizedText& text, const TextSelection& selection)
{
    if (!selection.languages.empty()) text.keepOnly(selection.languages);
}

void keepLanguages(OpeningHours& hours, const TextSelection& selection)
{
    for (WeeklyHours& weekly : hours.weekly) keepLanguages(weekly.note, selection);
    for (HoursException& exception : hours.exceptions) keepLanguages(exception.note, selection);
    keepLanguages(hours.notes, selection);
}

template <class Record>
void dropLongTexts(Record& record, const TextSelection& selection)
{
    if (selection.longTexts == LongTexts::InCache) (void)takeDetailTexts(record);
}

} // namespace

void selectTexts(Place& place, const TextSelection& selection)
{
    dropLongTexts(place, selection);
    for (LocalizedText* text : {&place.name, &place.description, &place.address.street, &place.address.city,
                                &place.accessibility}) {
        keepLanguages(*text, selection);
    }
    keepLanguages(place.hours, selection);
}

void selectTexts(Service& service, const TextSelection& selection)
{
    dropLongTexts(service, selection);
    for (LocalizedText* text : {&service.name, &service.summary, &service.description, &service.cost.description,
                                &service.organisationName}) {
        keepLanguages(*text, selection);
    }
    for (ServiceHoursAtPlace& own : service.hoursAtPlaces) keepLanguages(own.hours, selection);
}

void selectTexts(Event& event, const TextSelection& selection)
{
    dropLongTexts(event, selection);
    for (LocalizedText* text : {&event.title, &event.description, &event.locationText, &event.cost.description}) {
        keepLanguages(*text, selection);
    }
    for (OccurrenceOverride& change : event.schedule.overrides) keepLanguages(change.title, selection);
}

void selectTexts(Announcement& announcement, const TextSelection& selection)
{
    keepLanguages(announcement.title, selection);
    keepLanguages(announcement.body, selection);
}

DetailTexts takeDetailTexts(Place& place)
{
    return DetailTexts{std::exchange(place.description, {}), std::exchange(place.accessibility, {})};
}

DetailTexts takeDetailTexts(Service& service) { return DetailTexts{std::exchange(service.description, {}), {}}; }

DetailTexts takeDetailTexts(Event& event) { return DetailTexts{std::exchange(event.description, {}), {}}; }

} // namespace kohtaamo
