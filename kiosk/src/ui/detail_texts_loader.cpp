#include "detail_texts_loader.hpp"

namespace kohtaamo {

std::optional<RecordKey> recordKeyOf(const DetailTarget& target, const Snapshot& snapshot)
{
    // The snapshot resolves an id to one source's record; the texts must come from that one.
    auto key = [&](RecordKind kind, const auto* record) -> std::optional<RecordKey> {
        if (!record) return std::nullopt;
        return RecordKey{kind, record->provenance.sourceId, record->id};
    };
    switch (target.kind) {
    case DetailKind::Place: return key(RecordKind::Place, snapshot.place(target.id));
    case DetailKind::Service: return key(RecordKind::Service, snapshot.service(target.id));
    case DetailKind::Event: return key(RecordKind::Event, snapshot.event(target.id));
    }
    return std::nullopt;
}

void DetailTextsLoader::update(const std::optional<DetailTarget>& target, const Snapshot& snapshot,
                               std::uint64_t generation)
{
    const std::optional<RecordKey> key = target ? recordKeyOf(*target, snapshot) : std::nullopt;
    if (key != m_key || generation != m_generation) {
        // A sync may have changed the texts of the page on screen: read them again.
        if (key != m_key) m_texts = {};
        m_key = key;
        m_generation = generation;
        m_pending = key.has_value();
        if (key) m_content.requestDetailTexts(*key);
    }
    if (auto answer = m_content.takeDetailTexts(); answer && answer->key == m_key) {
        m_texts = std::move(answer->texts);
        m_pending = false;
    }
}

} // namespace kohtaamo
