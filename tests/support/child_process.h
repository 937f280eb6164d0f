#pragma once

// Runs a check in a forked child whose process state a test changes for it (its user, a limit on
// file sizes), so that the test's own process keeps its own. The check returns what it saw as
// text, which comes back through a pipe; the test asserts on it in its own process. The check must
// not use Qt Test's macros (a failure in the child would not reach the test).

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <functional>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bt::testing {

/// What runInChild gave back.
struct ChildRun {
    bool ran = false;   ///< the check ran in the child and returned
    std::string output; ///< what it returned
    std::string why;    ///< when it did not run: why (QVERIFY2(run.ran, run.why.c_str()))
};

namespace detail {

inline void writeAll(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

[[noreturn]] inline void childEnd(int fd, char kind, const std::string& text) {
    writeAll(fd, std::string(1, kind) + text);
    ::close(fd);
    // _exit: no atexit handler, static destructor or stdio flush of the parent's state runs in
    // the child (a QTemporaryDir member would otherwise delete the parent's folder).
    ::_exit(0);
}

inline std::string readAll(int fd) {
    std::string received;
    std::array<char, 4096> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return received;
        }
        received.append(buffer.data(), static_cast<std::size_t>(n));
    }
}

} // namespace detail

/// Forks; the child runs `prepare` (which changes the child's state and returns why it could not,
/// or an empty text), then `check`, and sends back what `check` returned.
inline ChildRun runInChild(const std::function<std::string()>& prepare,
                           const std::function<std::string()>& check) {
    ChildRun run;
    std::array<int, 2> pipe{};
    if (::pipe(pipe.data()) != 0) {
        run.why = std::string("pipe: ") + std::strerror(errno);
        return run;
    }
    const pid_t child = ::fork();
    if (child < 0) {
        run.why = std::string("fork: ") + std::strerror(errno);
        ::close(pipe[0]);
        ::close(pipe[1]);
        return run;
    }
    if (child == 0) {
        ::close(pipe[0]);
        try {
            if (const auto why = prepare(); !why.empty()) {
                detail::childEnd(pipe[1], 'E', why);
            }
            detail::childEnd(pipe[1], 'R', check());
        } catch (const std::exception& e) {
            detail::childEnd(pipe[1], 'E', std::string("the check threw: ") + e.what());
        } catch (...) {
            detail::childEnd(pipe[1], 'E', "the check threw a non-standard exception");
        }
    }
    ::close(pipe[1]);
    const std::string received = detail::readAll(pipe[0]);
    ::close(pipe[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        run.why = WIFSIGNALED(status)
                      ? "the child was killed by signal " + std::to_string(WTERMSIG(status))
                      : "the child exited with status " + std::to_string(WEXITSTATUS(status));
        return run;
    }
    if (received.empty()) {
        run.why = "the child sent nothing back";
        return run;
    }
    if (received.front() == 'E') {
        run.why = received.substr(1);
        return run;
    }
    run.output = received.substr(1);
    run.ran = true;
    return run;
}

/// Runs `check` in a child that may write no file beyond `bytes` (RLIMIT_FSIZE, which binds root
/// too): a write past it fails with EFBIG as on a full disk, instead of raising SIGXFSZ.
inline ChildRun runWithFileSizeLimit(rlim_t bytes, const std::function<std::string()>& check) {
    return runInChild(
        [bytes]() -> std::string {
            if (std::signal(SIGXFSZ, SIG_IGN) == SIG_ERR) {
                return std::string("signal(SIGXFSZ): ") + std::strerror(errno);
            }
            const rlimit limit{bytes, bytes};
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
                return std::string("setrlimit(RLIMIT_FSIZE): ") + std::strerror(errno);
            }
            return {};
        },
        check);
}

} // namespace bt::testing
