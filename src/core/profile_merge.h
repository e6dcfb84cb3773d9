#pragma once
// Merging the profiles of two tabs of the page that share one browser storage: a three-way merge
// by Token Name (case-insensitive) against the document both last agreed on. Pure: no storage, no
// clock; the app decides what to save and what to tell the person.
#include "core/profile.h"

#include <string>
#include <vector>

namespace oauth {

struct MergeResult {
    // The stored order of `theirs`, then the profiles only `mine` has. Empty when everything was
    // deleted (the app adds its blank profile).
    std::vector<Profile> profiles;
    // Token Names both sides changed at the same revision: `mine` was kept.
    std::vector<std::string> conflicts;
    // `mine` has changes `theirs` lacks, so the result must be saved back.
    bool mineKept = false;
};

// Equal in everything but `revision`.
bool SameContent(const Profile& a, const Profile& b);

// Every profile of `mine` that differs from its version in `base` (or is new there) gets the next
// revision: one above the larger of its own and base's (a new profile without one gets 1).
void BumpRevisions(std::vector<Profile>& mine, const std::vector<Profile>& base);

// Revisions, not arrival order, decide: another tab's write can arrive after an older one of
// ours (browsers sync storage between tabs asynchronously).
// - in both: the same content or a higher revision in `theirs` takes theirs; otherwise mine is
//   kept (a conflict when both have the same revision);
// - only in `theirs`: new there (kept), or deleted here (kept only if changed there since base);
// - only in `mine`: new here (kept), or deleted there (kept only if changed here since base).
MergeResult MergeProfiles(const std::vector<Profile>& base, const std::vector<Profile>& mine,
                          const std::vector<Profile>& theirs);

} // namespace oauth
