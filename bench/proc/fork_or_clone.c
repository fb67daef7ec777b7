/* How long a small static program (like stork-supervise) takes to start a child that execs
 * /bin/true, by the way it starts it: the time until the child's exec is known to the parent
 * (a close-on-exec pipe reaches EOF), and until the child is reaped. Not part of the build:
 *
 *   cc -O2 -static -o /tmp/fork_or_clone bench/proc/fork_or_clone.c
 *   for way in spawn fork vfork; do /tmp/fork_or_clone $way; done
 *
 * "fork" is what stork-supervise did before (fork, then the child's execve); "vfork" is what it
 * does now (a child sharing its memory until the exec, as posix_spawn does; see clone_agent in
 * src/proc/supervisor.cpp); "spawn" is posix_spawn, for reference. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
  const char* way = argc > 1 ? argv[1] : "";
  if (strcmp(way, "spawn") != 0 && strcmp(way, "fork") != 0 && strcmp(way, "vfork") != 0) {
    fprintf(stderr, "usage: fork_or_clone spawn|fork|vfork\n");
    return 2;
  }
  enum { kRuns = 200 };
  char* child_argv[] = {"/bin/true", NULL};
  double until_exec = 0, until_reaped = 0;
  for (int i = 0; i < kRuns; ++i) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) < 0) return 1;
    const double begin = now_ms();
    pid_t pid = -1;
    if (way[0] == 's') {
      if (posix_spawn(&pid, "/bin/true", NULL, NULL, child_argv, environ) != 0) return 1;
    } else {
      pid = way[0] == 'v' ? vfork() : fork();
      if (pid == 0) {
        execve("/bin/true", child_argv, environ);
        _exit(127);
      }
    }
    close(ends[1]);
    char byte;
    while (read(ends[0], &byte, 1) > 0) {
    }
    until_exec += now_ms() - begin;
    close(ends[0]);
    waitpid(pid, NULL, 0);
    until_reaped += now_ms() - begin;
  }
  printf("%-5s until exec %.3f ms, until reaped %.3f ms (mean of %d)\n", way, until_exec / kRuns,
         until_reaped / kRuns, kRuns);
  return 0;
}
