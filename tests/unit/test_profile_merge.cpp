// MergeProfiles (src/core/profile_merge.h): the three-way merge of two tabs' profiles by Token Name,
// and the revisions that decide it.
#include "core/profile_merge.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using oauth::MergeProfiles;
using oauth::Profile;

namespace {

Profile Named(const std::string& name, std::int64_t revision = 1) {
    Profile p = oauth::test::ClientCredentialsProfile();
    p.tokenName = name;
    p.revision = revision;
    return p;
}

// A change saved by one side: its content and its revision move on.
Profile Changed(Profile p, const std::string& clientId) {
    p.clientId = clientId;
    ++p.revision;
    return p;
}

std::vector<std::string> Names(const std::vector<Profile>& profiles) {
    std::vector<std::string> out;
    for (const Profile& p : profiles)
        out.push_back(p.tokenName);
    return out;
}

} // namespace

TEST_CASE("MergeProfiles keeps whichever side changed a profile", "[merge]") {
    const std::vector<Profile> base = {Named("A"), Named("B")};

    // Both sides hold the first profile as given, and the second as in base.
    const auto mergeFirst = [&base](const Profile& mine, const Profile& theirs) {
        return MergeProfiles(base, {mine, base[1]}, {theirs, base[1]});
    };
    SECTION("only mine changed: mine is kept and must be saved back") {
        const std::vector<Profile> mine = {Changed(base[0], "mine"), base[1]};
        const oauth::MergeResult r = MergeProfiles(base, mine, base);
        REQUIRE(Names(r.profiles) == std::vector<std::string>{"A", "B"});
        CHECK(r.profiles[0].clientId == "mine");
        CHECK(r.profiles[0].revision == 2);
        CHECK(r.conflicts.empty());
        CHECK(r.mineKept);
    }
    SECTION("only theirs changed: theirs is taken, nothing to save back") {
        const std::vector<Profile> theirs = {base[0], Changed(base[1], "theirs")};
        const oauth::MergeResult r = MergeProfiles(base, base, theirs);
        REQUIRE(Names(r.profiles) == std::vector<std::string>{"A", "B"});
        CHECK(r.profiles[1].clientId == "theirs");
        CHECK(r.conflicts.empty());
        CHECK_FALSE(r.mineKept);
    }
    SECTION("each side changed another profile: both changes are kept") {
        const std::vector<Profile> mine = {Changed(base[0], "mine"), base[1]};
        const std::vector<Profile> theirs = {base[0], Changed(base[1], "theirs")};
        const oauth::MergeResult r = MergeProfiles(base, mine, theirs);
        REQUIRE(r.profiles.size() == 2);
        CHECK(r.profiles[0].clientId == "mine");
        CHECK(r.profiles[1].clientId == "theirs");
        CHECK(r.conflicts.empty());
        CHECK(r.mineKept);
    }
    SECTION("both changed different fields of one profile: a conflict, mine is kept whole") {
        Profile mineA = base[0], theirsA = base[0];
        mineA.scopes = "mine";
        ++mineA.revision;
        theirsA.accessTokenUrl = "https://theirs.example.com/token";
        ++theirsA.revision;
        const oauth::MergeResult r = mergeFirst(mineA, theirsA);
        REQUIRE(r.profiles.size() == 2);
        CHECK(r.profiles[0].scopes == "mine");
        CHECK(r.profiles[0].accessTokenUrl == "https://id.example.com/token");
        CHECK(r.conflicts == std::vector<std::string>{"A"});
        CHECK(r.mineKept);
    }
    SECTION("both changed the same field: a conflict, mine is kept") {
        const oauth::MergeResult r = mergeFirst(Changed(base[0], "mine"), Changed(base[0], "theirs"));
        CHECK(r.profiles[0].clientId == "mine");
        CHECK(r.conflicts == std::vector<std::string>{"A"});
        CHECK(r.mineKept);
    }
    SECTION("both made the same change: no conflict, nothing to save back") {
        const oauth::MergeResult r = mergeFirst(Changed(base[0], "same"), Changed(base[0], "same"));
        CHECK(r.profiles[0].clientId == "same");
        CHECK(r.conflicts.empty());
        CHECK_FALSE(r.mineKept);
    }
    SECTION("a higher revision wins whichever side arrived later") {
        const Profile twiceThere = Changed(Changed(base[0], "theirs first"), "theirs again");
        const oauth::MergeResult r = mergeFirst(Changed(base[0], "mine"), twiceThere);
        CHECK(r.profiles[0].clientId == "theirs again");
        CHECK(r.conflicts.empty());
        CHECK_FALSE(r.mineKept);
    }
    SECTION("Token Names match whatever their case") {
        Profile lower = Changed(base[0], "theirs");
        lower.tokenName = "a";
        const oauth::MergeResult r = mergeFirst(base[0], lower);
        CHECK(Names(r.profiles) == std::vector<std::string>{"a", "B"});
    }
}

TEST_CASE("MergeProfiles adds and removes what either side added or removed", "[merge]") {
    const std::vector<Profile> base = {Named("A"), Named("B")};

    SECTION("added in mine: kept after the stored ones, and saved back") {
        const oauth::MergeResult r = MergeProfiles(base, {base[0], Named("New"), base[1]}, base);
        CHECK(Names(r.profiles) == std::vector<std::string>{"A", "B", "New"});
        CHECK(r.mineKept);
    }
    SECTION("added in theirs: taken in their order") {
        const oauth::MergeResult r = MergeProfiles(base, base, {Named("Z"), base[0], base[1]});
        CHECK(Names(r.profiles) == std::vector<std::string>{"Z", "A", "B"});
        CHECK_FALSE(r.mineKept);
    }
    SECTION("removed in mine: gone, and the removal is saved back") {
        const oauth::MergeResult r = MergeProfiles(base, {base[1]}, base);
        CHECK(Names(r.profiles) == std::vector<std::string>{"B"});
        CHECK(r.mineKept);
    }
    SECTION("removed in mine but changed in theirs since: their change survives") {
        const oauth::MergeResult r = MergeProfiles(base, {base[1]}, {Changed(base[0], "theirs"), base[1]});
        CHECK(Names(r.profiles) == std::vector<std::string>{"A", "B"});
        CHECK(r.profiles[0].clientId == "theirs");
        CHECK_FALSE(r.mineKept);
    }
    SECTION("removed in theirs: gone here too") {
        const oauth::MergeResult r = MergeProfiles(base, base, {base[0]});
        CHECK(Names(r.profiles) == std::vector<std::string>{"A"});
        CHECK_FALSE(r.mineKept);
    }
    SECTION("removed in theirs but changed in mine since: my change survives and is saved back") {
        const oauth::MergeResult r = MergeProfiles(base, {base[0], Changed(base[1], "mine")}, {base[0]});
        CHECK(Names(r.profiles) == std::vector<std::string>{"A", "B"});
        CHECK(r.profiles[1].clientId == "mine");
        CHECK(r.mineKept);
    }
    SECTION("everything removed on both sides: an empty result") {
        const oauth::MergeResult r = MergeProfiles(base, {}, {});
        CHECK(r.profiles.empty());
        CHECK(r.conflicts.empty());
    }
}

TEST_CASE("BumpRevisions moves the revision of every profile changed since the base", "[merge]") {
    const std::vector<Profile> base = {Named("A", 3), Named("B", 5)};
    std::vector<Profile> mine = {base[0], base[1], Named("New", 0)};
    mine[1].clientId = "edited";
    mine[1].revision = 2; // behind base: the next revision is above both
    oauth::BumpRevisions(mine, base);
    CHECK(mine[0].revision == 3); // unchanged
    CHECK(mine[1].revision == 6);
    CHECK(mine[2].revision == 1); // new
    CHECK(oauth::SameContent(mine[0], Named("A", 99)));
    CHECK_FALSE(oauth::SameContent(mine[1], base[1]));
}

TEST_CASE("revision is a profile field stored as the key \"revision\", written only when set",
          "[merge][profile]") {
    std::vector<oauth::DocumentProblem> problems;
    Profile p = Named("A", 7);
    const nlohmann::json object = oauth::ProfileToJson(p);
    CHECK(object.at("revision") == 7);
    CHECK(oauth::ProfileFromJson(object, "p", problems).revision == 7);
    CHECK(oauth::ProfileFromJson(object, "p", problems).unknownKeys.empty());
    p.revision = 0;
    CHECK_FALSE(oauth::ProfileToJson(p).contains("revision"));
    SECTION("a revision that is not an integer is kept as it was, read as 0") {
        nlohmann::json odd = object;
        odd["revision"] = "seven";
        const Profile read = oauth::ProfileFromJson(odd, "p", problems);
        CHECK(read.revision == 0);
        CHECK(oauth::ProfileToJson(read).at("revision") == "seven");
        CHECK(problems.empty());
    }
}
