#pragma once

// Runs a check as an unprivileged user, for the tests of what a user may not read or write.
// Permission bits do not stop root (CAP_DAC_OVERRIDE), and CI runs the suite as root: there the
// check runs in a forked child that gives up root for good before it touches anything (the
// supplementary groups, then the group, then the user `nobody`, and it verifies that no
// capability is left and that root cannot be regained). What the check returns comes back to the
// test through a pipe, and the test asserts on it in its own process. A suite that does not run
// as root runs the check in its own process, as it is.
//
// The check must not use Qt Test's macros (a failure in the child would not reach the test):
// it returns what it saw as text. The files it reads must be reachable for the unprivileged user:
// shareWithUnprivileged() opens a test's folder to it and giveToUnprivileged() makes it the owner
// of a file or folder (as a user's own files are); unreachableReason() lets a check tell a path it
// cannot even look up (a folder on the way) from the failure it is about.

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/child_process.h"

namespace bt::testing {

/// The user a check runs as.
struct UnprivilegedUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;
};

/// This process's own user when it is not root; else `nobody` with its primary group. Empty when
/// running as root and there is no such user.
inline std::optional<UnprivilegedUser> unprivilegedUser() {
    if (::geteuid() != 0) {
        const passwd* own = ::getpwuid(::geteuid());
        return UnprivilegedUser{::geteuid(), ::getegid(),
                                own != nullptr ? std::string(own->pw_name)
                                               : "uid " + std::to_string(::geteuid())};
    }
    const passwd* nobody = ::getpwnam("nobody");
    if (nobody == nullptr || nobody->pw_uid == 0 || nobody->pw_gid == 0) {
        return std::nullopt;
    }
    return UnprivilegedUser{nobody->pw_uid, nobody->pw_gid, nobody->pw_name};
}

/// Lets every user look up and read what is in `folder` (mode 0755; QTemporaryDir makes 0700).
/// Returns false with errno set when it cannot.
inline bool shareWithUnprivileged(const std::filesystem::path& folder) {
    return ::chmod(folder.c_str(), 0755) == 0;
}

/// Makes `user` the owner of `path`, as of a file the user made. Nothing to do when the suite
/// does not run as root (the file is the user's already). Returns false with errno set when it
/// cannot.
inline bool giveToUnprivileged(const std::filesystem::path& path, const UnprivilegedUser& user) {
    if (::geteuid() != 0) {
        return true;
    }
    return ::chown(path.c_str(), user.uid, user.gid) == 0;
}

/// Empty when this process can look `path` up (every folder on the way searchable); else why
/// not. A check calls it first, so that a folder on the way is not taken for the failure tested.
inline std::string unreachableReason(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        return {};
    }
    return "cannot look up " + path.string() + " as uid " + std::to_string(::getuid()) + ": " +
           std::strerror(errno) + " (the folders on the way must be searchable by every user)";
}

/// Empty when `file` can be looked up but not opened for reading by this process (what a check
/// of an unreadable file needs); else why not: a folder on the way, or a file system that
/// ignores permission bits.
inline std::string notUnreadableReason(const std::filesystem::path& file) {
    if (auto why = unreachableReason(file); !why.empty()) {
        return why;
    }
    const int fd = ::open(file.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::close(fd);
        return file.string() + " opens for reading as uid " + std::to_string(::getuid()) +
               " despite its mode (a file system without permission bits?)";
    }
    return {};
}

/// What runUnprivileged gave back.
struct UnprivilegedRun {
    bool ran = false;   ///< the check ran as an unprivileged user and returned
    std::string output; ///< what it returned
    std::string why;    ///< when it did not run: why (QVERIFY2(run.ran, run.why.c_str()))
    std::string user;   ///< the user it ran as
};

namespace detail {

// True when this process holds no effective or permitted capability; `seen` gets the lines of
// /proc/self/status it went by.
inline bool noCapabilities(std::string& seen) {
    std::ifstream status("/proc/self/status");
    std::string line;
    int found = 0;
    while (std::getline(status, line)) {
        if (line.starts_with("CapEff:") || line.starts_with("CapPrm:")) {
            seen += line + "; ";
            ++found;
            if (line.find_first_not_of(" \t0", 7) != std::string::npos) {
                return false;
            }
        }
    }
    return found == 2;
}

} // namespace detail

/// Runs `check` as an unprivileged user (see the top of this file) and returns what it returned,
/// or why it could not run it.
inline UnprivilegedRun runUnprivileged(const std::function<std::string()>& check) {
    UnprivilegedRun run;
    const auto user = unprivilegedUser();
    if (!user) {
        run.why = "running as root, and there is no user 'nobody' to run the check as";
        return run;
    }
    run.user = user->name + " (uid " + std::to_string(user->uid) + ")";
    if (::geteuid() != 0) {
        try {
            run.output = check();
            run.ran = true;
        } catch (const std::exception& e) {
            run.why = std::string("the check threw: ") + e.what();
        }
        return run;
    }

    const auto child = runInChild(
        [&user]() -> std::string {
            const auto failed = [](const char* what) {
                return std::string(what) + ": " + std::strerror(errno);
            };
            if (::setgroups(0, nullptr) != 0) {
                return failed("setgroups");
            }
            if (::setgid(user->gid) != 0) {
                return failed("setgid");
            }
            if (::setuid(user->uid) != 0) {
                return failed("setuid");
            }
            if (::getuid() == 0 || ::geteuid() == 0 || ::getgid() == 0 || ::getegid() == 0) {
                return "still root after setuid";
            }
            if (::setuid(0) == 0) {
                return "could become root again after setuid";
            }
            std::string caps;
            if (!detail::noCapabilities(caps)) {
                return "capabilities left after setuid (or no /proc/self/status): " + caps;
            }
            return {};
        },
        check);
    run.ran = child.ran;
    run.output = child.output;
    if (!child.ran) {
        run.why = "as " + run.user + ": " + child.why;
    }
    return run;
}

} // namespace bt::testing
