#include "core/profile_merge.h"
#include "core/text.h"

#include <algorithm>
#include <map>

namespace oauth {
namespace {

using ByName = std::map<std::string, const Profile*>;

ByName IndexByName(const std::vector<Profile>& profiles) {
    ByName out;
    for (const Profile& p : profiles)
        out[text::LowerAscii(p.tokenName)] = &p;
    return out;
}

const Profile* Find(const ByName& index, const std::string& name) {
    auto it = index.find(text::LowerAscii(name));
    return it == index.end() ? nullptr : it->second;
}

} // namespace

bool SameContent(const Profile& a, const Profile& b) {
    nlohmann::json ja = ProfileToJson(a), jb = ProfileToJson(b);
    ja.erase("revision");
    jb.erase("revision");
    return ja == jb;
}

void BumpRevisions(std::vector<Profile>& mine, const std::vector<Profile>& base) {
    const ByName baseBy = IndexByName(base);
    for (Profile& p : mine) {
        const Profile* b = Find(baseBy, p.tokenName);
        if (!b) {
            if (p.revision == 0)
                p.revision = 1;
        } else if (!SameContent(p, *b)) {
            p.revision = std::max(p.revision, b->revision) + 1;
        }
    }
}

MergeResult MergeProfiles(const std::vector<Profile>& base, const std::vector<Profile>& mine,
                          const std::vector<Profile>& theirs) {
    const ByName baseBy = IndexByName(base), mineBy = IndexByName(mine), theirsBy = IndexByName(theirs);
    MergeResult out;
    for (const Profile& t : theirs) {
        const Profile* m = Find(mineBy, t.tokenName);
        const Profile* b = Find(baseBy, t.tokenName);
        if (!m) {
            if (!b || t.revision > b->revision)
                out.profiles.push_back(t);
            else
                out.mineKept = true; // deleted here: the deletion is ours to save
        } else if (SameContent(*m, t) || t.revision > m->revision) {
            out.profiles.push_back(t);
        } else {
            if (m->revision == t.revision)
                out.conflicts.push_back(m->tokenName);
            out.profiles.push_back(*m);
            out.mineKept = true;
        }
    }
    for (const Profile& m : mine) {
        if (Find(theirsBy, m.tokenName))
            continue;
        const Profile* b = Find(baseBy, m.tokenName);
        if (!b || m.revision > b->revision) {
            out.profiles.push_back(m);
            out.mineKept = true;
        }
    }
    return out;
}

} // namespace oauth
