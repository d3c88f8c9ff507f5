/*
 * kw/analysis.h -- understanding Korean coverage: the entity gazetteer,
 * mentions, participation stances with their evidence sentence and event
 * date, and story fingerprints for clustering copies of one story.
 *
 * Pure functions in parsers/: text in, structs out, no I/O.  Gazetteer and
 * stance rules are data (config/entities.yaml, config/stances.yaml), parsed
 * from bytes by the functions below.
 *
 * Thread safety: a parsed gazetteer or rule set is immutable and may be
 * shared by threads; results are not shared.
 */
#ifndef KW_ANALYSIS_H
#define KW_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"
#include "kw/parsers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Gazetteer ---------------------------------------------------------- */

typedef struct kw_gazetteer kw_gazetteer;

/* One entity of the gazetteer (borrowed from it). */
typedef struct kw_entity {
    const char *id;   /* "naver-cloud" */
    const char *type; /* "company", "ministry", "agency", "programme" */
    const char *name; /* display name, "네이버클라우드" */
} kw_entity;

/*
 * Parses a gazetteer (YAML; see config/entities.yaml): per entity an id,
 * type, name, aliases (Korean and English), products (aliases that point
 * to the entity) and names that must not match (카카오뱅크 for kakao).
 * KW_EPARSE with "line N: ..." in @err on any problem.
 */
KW_API kw_err kw_gazetteer_parse(const char *p, size_t n, char *err,
                                 size_t err_n, kw_gazetteer **out);
KW_API void kw_gazetteer_free(kw_gazetteer *g);
KW_API size_t kw_gazetteer_count(const kw_gazetteer *g);
KW_API const kw_entity *kw_gazetteer_entity(const kw_gazetteer *g,
                                            size_t i);
/* The entity with @id, or NULL. */
KW_API const kw_entity *kw_gazetteer_find(const kw_gazetteer *g,
                                          const char *id);

/* ---- Stance rules ------------------------------------------------------- */

typedef enum kw_stance {
    KW_STANCE_NONE = 0,
    KW_STANCE_SELECTED,
    KW_STANCE_ELIMINATED,
    KW_STANCE_DECLINED,
    KW_STANCE_CONSIDERING,
    KW_STANCE_ENTERING,
} kw_stance;

/* "none", "selected", "eliminated", "declined", "considering",
 * "entering". */
KW_API const char *kw_stance_name(kw_stance s);
KW_API kw_err kw_stance_parse(const char *s, kw_stance *out);

typedef struct kw_rules kw_rules;

/* Parses stance rules (YAML; see config/stances.yaml): cue patterns per
 * stance, negations, hedges and rumour markers, denials, reversals.
 * KW_EPARSE with "line N: ..." in @err. */
KW_API kw_err kw_rules_parse(const char *p, size_t n, char *err,
                             size_t err_n, kw_rules **out);
KW_API void kw_rules_free(kw_rules *r);

/* ---- Analysis of one text ----------------------------------------------- */

typedef struct kw_mention {
    const char *entity_id;
    const char *name;       /* entity display name */
    size_t count;           /* occurrences in the text */
    size_t first_offset;    /* byte offset of the first occurrence */
} kw_mention;

typedef struct kw_decision {
    const char *entity_id;
    kw_stance stance;         /* never KW_STANCE_NONE */
    const char *sentence;     /* the evidence sentence, trimmed */
    size_t sentence_index;    /* index into kw_analysis.sentences */
    int has_event_date;       /* the sentence reports a date */
    kw_date event_date;       /* '15일', '지난달 30일', '지난해' resolved
                                 against the published date */
    int is_restated;          /* said only in a relative clause on the
                                 name ('1차에서 탈락한 KT는 …'): a restated
                                 old fact, not news of this sentence; its
                                 event date is one the relative clause
                                 itself reports, else none */
} kw_decision;

typedef struct kw_sentence {
    const char *text;          /* trimmed */
    size_t offset;             /* byte offset in the analysed text */
    const kw_mention *entities; /* entities named in this sentence
                                   (count = occurrences in it) */
    size_t n_entities;
    const kw_decision *decisions; /* stances stated in this sentence */
    size_t n_decisions;
} kw_sentence;

typedef struct kw_analysis {
    kw_sentence *sentences;   /* ICU sentence breaks */
    size_t n_sentences;
    kw_mention *mentions;     /* per entity over the whole text */
    size_t n_mentions;
    kw_decision *decisions;   /* all sentences' decisions, in order */
    size_t n_decisions;
    uint64_t fingerprint;     /* SimHash of normalised word shingles */
    kw_arena *arena;
} kw_analysis;

/*
 * Analyses p[0..n) (UTF-8; a title and its body may be passed as
 * "title\n\nbody").  @published (may be NULL) anchors relative dates.
 */
KW_API kw_err kw_analyze(const kw_gazetteer *g, const kw_rules *r,
                         const char *p, size_t n, const kw_date *published,
                         kw_analysis **out);
KW_API void kw_analysis_free(kw_analysis *a);

/* Hamming distance of two fingerprints; copies of one story (syndicated
 * or lightly rewritten) are within KW_FINGERPRINT_NEAR bits. */
KW_API int kw_fingerprint_distance(uint64_t a, uint64_t b);
#define KW_FINGERPRINT_NEAR 16

#ifdef __cplusplus
}
#endif
#endif /* KW_ANALYSIS_H */
