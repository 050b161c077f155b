#include "formatting.hpp"

#include <fmt/format.h>

#include <map>

namespace kohtaamo::ui {

std::string clockTime(Instant t) { return formatLocalDateTime(TimeZone::helsinki().toLocal(t)).substr(11, 5); }

std::string timeRange(Instant start, Instant end)
{
    if (end <= start) return clockTime(start);
    return fmt::format("{}–{}", clockTime(start), clockTime(end));
}

std::string_view weekdayKey(int isoIndex)
{
    static constexpr std::string_view kKeys[] = {"weekday.mo", "weekday.tu", "weekday.we", "weekday.th",
                                                 "weekday.fr", "weekday.sa", "weekday.su"};
    return kKeys[isoIndex % 7];
}

std::string dayLabel(const UiContext& ctx, LocalDate day)
{
    const date::year_month_day ymd{day};
    return ctx.tf("date.format", {{"weekday", std::string(ctx.t(weekdayKey(weekdayIndex(day))))},
                                  {"day", std::to_string(static_cast<unsigned>(ymd.day()))},
                                  {"month", std::to_string(static_cast<unsigned>(ymd.month()))}});
}

std::string relativeDay(const UiContext& ctx, LocalDate day)
{
    const LocalDate today = TimeZone::helsinki().localDate(ctx.now);
    if (day == today) return std::string(ctx.t("date.today"));
    if (day == today + date::days{1}) return std::string(ctx.t("date.tomorrow"));
    return dayLabel(ctx, day);
}

std::string audienceLabel(const UiContext& ctx, const Audience& audience)
{
    std::string label;
    if (audience.minAge && audience.maxAge) {
        label = ctx.tf("detail.ages", {{"min", std::to_string(*audience.minAge)}, {"max", std::to_string(*audience.maxAge)}});
    } else if (audience.minAge) {
        label = ctx.tf("detail.ages_from", {{"min", std::to_string(*audience.minAge)}});
    } else if (audience.maxAge) {
        label = ctx.tf("detail.ages_to", {{"max", std::to_string(*audience.maxAge)}});
    }
    if (audience.parents) {
        if (!label.empty()) label += ", ";
        label += ctx.t("detail.for_parents");
    }
    return label.empty() ? std::string(ctx.t("detail.all_families")) : label;
}

std::string languagesLabel(const std::vector<std::string>& languages)
{
    // Each language named in itself, so a reader finds their own.
    static const std::map<std::string, std::string, std::less<>> kNames{
        {"fi", "suomi"},   {"sv", "svenska"}, {"en", "English"},  {"uk", "українська"}, {"ru", "русский"},
        {"so", "Soomaali"}, {"et", "eesti"}, {"se", "davvisámegiella"}};
    std::string label;
    for (const auto& language : languages) {
        if (!label.empty()) label += ", ";
        auto name = kNames.find(language);
        label += name == kNames.end() ? language : name->second;
    }
    return label;
}

std::string_view categoryKey(ServiceCategory category)
{
    switch (category) {
    case ServiceCategory::Neuvola: return "category.neuvola";
    case ServiceCategory::FamilyCounselling: return "category.family_counselling";
    case ServiceCategory::FamilyWork: return "category.family_work";
    case ServiceCategory::EarlyEducation: return "category.early_education";
    case ServiceCategory::NgoParish: return "category.ngo_parish";
    case ServiceCategory::PeerSupport: return "category.peer_support";
    case ServiceCategory::CrisisHelp: return "category.crisis_help";
    case ServiceCategory::Other: break;
    }
    return "category.other";
}

std::string_view eventTypeKey(EventCategory category)
{
    switch (category) {
    case EventCategory::PeerGroup: return "type.peer_group";
    case EventCategory::DropIn: return "type.dropin";
    case EventCategory::Club: return "type.club";
    case EventCategory::Info: return "type.info";
    case EventCategory::Other: break;
    }
    return "type.other";
}

std::string_view ageBandKey(AgeBand band)
{
    switch (band) {
    case AgeBand::Baby: return "age.baby";
    case AgeBand::Toddler: return "age.toddler";
    case AgeBand::Preschool: return "age.preschool";
    case AgeBand::School: return "age.school";
    case AgeBand::Youth: return "age.youth";
    case AgeBand::Parents: break;
    }
    return "age.parents";
}

} // namespace kohtaamo::ui
