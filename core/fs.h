/* fs.h: the safe file system exporters write through. An Output is a
 * temporary folder next to its target (TARGET.tmp-XXXXXX); every path written
 * into it is checked (relative, no "..", ".", empty components, backslashes or
 * NUL bytes) and walked one component at a time with O_NOFOLLOW, so no path
 * can leave it, not even through a symbolic link planted inside. commit swaps
 * the folder in for the target (atomically with RENAME_EXCHANGE where the file
 * system has it); abort removes it. Paths in messages are quoted as given.
 *
 * The C functions fill a sheaf_err on failure; the Lua-facing helpers at the
 * end raise Lua errors instead. */
#ifndef SHEAF_FS_H
#define SHEAF_FS_H

#include <stddef.h>

#include <lua.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "sheaf.h"

/* The metatable name of Output userdata (a sheaf_output inside). */
#define SHEAF_OUTPUT_MT "sheaf.Output"

/* At most this many components in a path written into an Output: more than
 * the 100 folders a content listing goes down (lua_fs.c), plus what an
 * exporter adds (a page's folder, index.html), so that every page listed
 * can be written. */
#define SHEAF_FS_MAX_DEPTH 128

enum { SHEAF_OUTPUT_OPEN, SHEAF_OUTPUT_COMMITTED, SHEAF_OUTPUT_ABORTED };

typedef struct sheaf_output {
  char *root; /* absolute target folder, malloc'd */
  char *tmp;  /* absolute temporary folder, malloc'd */
  int tmpfd;  /* open O_DIRECTORY fd of tmp, -1 once closed */
  int state;
  /* The folder new folders were last made in (rel path, malloc'd) and an
   * fd of it: pages go to a new folder each (a/b/index.html), nearly
   * always in the same parent. */
  char *mkdir_in;
  int mkdir_fd;
  /* Whether the last new file needed its folder made: then the next one
   * likely does too, and making the folder first spares a failed open. */
  int made_parent;
  /* Set by sheaf_output_set_apply: commit applies the new files in place
   * through a journal (fs_apply.c) instead of swapping the folders. */
  int apply;
  char **removals, **states; /* malloc'd strings in malloc'd arrays */
  size_t nremovals, nstates;
} sheaf_output;

/* Checks rel[0..len) as a path inside an Output: non-empty, relative, '/'
 * separated, no "", "." or ".." component, no backslash or NUL, at most
 * SHEAF_FS_MAX_DEPTH components. Returns 0, or -1 with err's message like
 * "sheaf.fs: refusing path '../x' (escapes the output folder)". */
int sheaf_fs_check_path(const char *rel, size_t len, sheaf_err *err);

/* Creates the temporary folder for target (relative paths are made absolute
 * from the working folder; missing parents are created) and fills o. The
 * target itself must not be a symbolic link or a non-folder. Returns 0, or -1
 * with err filled and o left closed (safe to pass to sheaf_output_free). */
int sheaf_output_init(sheaf_output *o, const char *target, sheaf_err *err);

/* Opens rel for writing (created or truncated, parents created) and returns
 * the fd, which the caller closes; -1 with err filled when rel is refused or
 * the file cannot be created. An existing file at rel is replaced by a new
 * one (never written through, so a hard link cannot leak data out). */
int sheaf_output_open_file(sheaf_output *o, const char *rel, size_t len, sheaf_err *err);

/* Writes data[0..n) to rel. Returns 0 or -1 with err. When st is not
 * NULL it gets the new file's fstat, taken once written (the caller's;
 * the site's page manifest stamps the files it keeps with it). */
int sheaf_output_write(sheaf_output *o, const char *rel, size_t len, const void *data, size_t n,
                       struct stat *st, sheaf_err *err);

/* As sheaf_output_write, for data in n pieces (written in order, with as
 * few system calls as the kernel allows). iov is the caller's; it may be
 * changed while writing. */
int sheaf_output_writev(sheaf_output *o, const char *rel, size_t len, struct iovec *iov, size_t n,
                        struct stat *st, sheaf_err *err);

/* Copies the regular file at src (any readable path; symlinks followed) to
 * rel. Returns 0; -1 with err and *src_failed = 1 when src cannot be read (so
 * the caller can treat it as a content problem), or when kept is set and src
 * is not a sealed kept file (sheaf_fs_sealed); *src_failed = 0 when rel is
 * refused or writing failed. st, when not NULL, gets the copy's fstat. */
int sheaf_output_copy(sheaf_output *o, const char *src, const char *rel, size_t len, int kept,
                      int *src_failed, struct stat *st, sheaf_err *err);

/* Hard-links the regular file src (not a symbolic link: the link is
 * checked once made, and removed when it is not a regular file, nor, when
 * kept is set, a sealed kept file) as rel: the file is shared, never
 * written through (see sheaf_output_open_file). Returns 0, st (when not
 * NULL) holding the link's lstat; or -1 with err (across file systems, for
 * one): the caller copies instead. */
int sheaf_output_link(sheaf_output *o, const char *src, const char *rel, size_t len, int kept,
                      struct stat *st, sheaf_err *err);

/* The folders under the output root that hold what builds keep: the
 * caches any script may use (cache_put) and the build's own state
 * (state_put; the apply step's journal), which --clean removes. */
#define SHEAF_FS_CACHE_DIR ".cache"
#define SHEAF_FS_STATE_DIR ".sheaf-cache"

/* Adds cache_file, cache_put, state_file, state_put, state_dir and
 * state_clear to the sheaf.fs table on the stack (fs_cache.c). */
void sheaf_fs_open_cache(lua_State *L);

/* Creates folder rel and its parents. Returns 0 or -1 with err. */
int sheaf_output_mkdir(sheaf_output *o, const char *rel, size_t len, sheaf_err *err);

/* Returns 1 when rel exists in the Output as a file, 2 as a folder, 0 when
 * not; -1 with err when rel is refused. */
int sheaf_output_exists(sheaf_output *o, const char *rel, size_t len, sheaf_err *err);

/* Replaces the target with the temporary folder and removes the old tree.
 * Returns 0, or -1 with err (the Output is then still open and the target as
 * it was). */
int sheaf_output_commit(sheaf_output *o, sheaf_err *err);

/* Moves every file of the temporary folder into the target folder at the
 * same path (folders made as needed), each renamed over the file there, and
 * leaves the target's other files as they are; then removes the temporary
 * folder and marks o committed. Each file is replaced atomically, the set
 * of them one after the other, with the stopping signals held off (for a
 * live tree updated a few pages at a time: sheaf serve). Returns 0, or -1
 * with err (o is then still open; files moved before the failure stay
 * moved). */
int sheaf_output_patch(sheaf_output *o, sheaf_err *err);

/* Makes commit apply o to its target in place (the target must be a
 * folder of OUT itself that exists, else commit fails): the
 * files to remove from the target (paths inside it), the state files
 * (NAME/KEY of OUT/.sheaf-cache) whose new version, written beside as
 * KEY.next, takes the old one's place, and every file of the temporary
 * folder moved over the target's. A journal (OUT/.sheaf-cache/apply-NAME)
 * written first holds all of it, so that a run stopped meanwhile, even by
 * SIGKILL, is finished by the next run that takes OUT's lock
 * (sheaf_fs_recover). Takes ownership of the arrays and their strings. */
void sheaf_output_set_apply(sheaf_output *o, char **removals, size_t nremovals, char **states,
                            size_t nstates);

/* The commit of an Output set to apply (fs_apply.c): the journal written,
 * then done. Returns 0, or -1 with err (the journal, once written, stays
 * for the next run to finish). */
int sheaf_output_apply(sheaf_output *o, sheaf_err *err);

/* Finishes every update a stopped run left journaled in OUT (root) (see
 * sheaf_output_set_apply). Called with OUT's lock held, before anything
 * else reads or writes OUT. Returns 0, or -1 with err. */
int sheaf_fs_recover(const char *root, sheaf_err *err);

/* Moves every file below folder src into folder dst at the same path,
 * making folders as needed, each renamed over the file there; no symbolic
 * link is followed on either side (root names dst in messages). Returns 0,
 * or -1 with err. */
int sheaf_fs_move_files(int src, int dst, const char *root, sheaf_err *err);

/* Removes the temporary folder (when still open) and marks o aborted. */
void sheaf_output_abort(sheaf_output *o);

/* Aborts when open and frees o's strings (not o itself). */
void sheaf_output_free(sheaf_output *o);

/* Removes the tree at path without following symbolic links (a link is
 * removed, not what it points to). Returns 0 or -1 (errno set). Safe to call
 * from a signal handler. */
int sheaf_fs_rmtree(const char *path);

/* Creates folder path and its parents (path is changed while working and
 * restored). Returns 0 or -1 (errno set; ENOTDIR when path is a file). */
int sheaf_fs_mkdirs(char *path);

/* Writes data[0..n) to path through a new file beside it (PATH.tmp-XXXXXX,
 * readable by all as umask allows) renamed into place, so a reader sees the
 * old file or the whole new one, never a part; a symbolic link at path is
 * replaced, not written through. Returns 0, or -1 with errno (the temporary
 * file removed, path as it was). path is the caller's to check. */
int sheaf_fs_write_atomic(const char *path, const void *data, size_t n);

/* --- Kept files (fs_cache.c's cache_put and state_put) ---
 * A kept file is written sealed: through a file beside it renamed into
 * place, as sheaf_fs_write_atomic does, with a modification time whose
 * nanoseconds are a function of the file's name and size. A site
 * hard-links kept files (share cards, scaled images), so a tool that
 * writes one of the site's files in place (an image optimiser over the
 * deployed folder, truncate) writes the kept file too, and gives it the
 * time of that write; a file cut short (a crash after the rename) keeps a
 * time sealed for another size. Either way the seal is broken, as the
 * file's stat shows: the check costs nothing where the file is looked at
 * anyway (a link's check, a copy's fstat), so a file is taken only as it
 * was written. Another kept file copied over it in place with its time
 * (cp -p, rsync -a --inplace, tar x from another OUT) is seen too: its
 * seal is for another name. Not seen: a file written in place at its size
 * and then given its own old time back (touch -r), or one of the same name
 * copied so (the same key: the same card). A copy of OUT that does not
 * keep times (cp -r; cp -a keeps them) breaks every seal, and a file
 * system that keeps times to a second (ext3) none: the files are then
 * made again. */

/* Writes data[0..n), or what the open file fd holds from its start to its
 * end when fd is not -1 (read with pread: fd's offset does not move), to
 * path as sheaf_fs_write_atomic does, sealed. A file fd without a name on
 * path's file system (core.tmpfile(dir), lua_pipe.h) is not copied but
 * given the name path: it is the kept file from then on, and whoever holds
 * fd must not write to it again. Returns 0, or -1 with errno (path as it
 * was) when the file cannot be written; a file system that refuses to set
 * its time leaves it written but unsealed (0). */
int sheaf_fs_write_kept(const char *path, const void *data, size_t n, int fd);

/* Whether st is the stat of the kept file at path (its last component is
 * what counts: the kept file's name) whose seal holds: a regular file with
 * the time it was given for its name and size. */
int sheaf_fs_sealed(const char *path, const struct stat *st);

/* --- The output folder (fs_guard.c) ---
 * The build's output folder (OUT) is set once, by the command line, before
 * any script runs. sheaf_output_init and the PDF's save by path accept only
 * OUT or a path below it (symbolic links resolved). The first write into
 * OUT takes the lock OUT/.sheaf.lock for the rest of the process (forked
 * workers share it) and removes the temporary folders of dead builds
 * (NAME.tmp-XXXXXX in OUT, OUT.tmp-XXXXXX beside it). Open Outputs'
 * temporary folders are removed when a signal (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, or a crash) stops the process. */

/* path made absolute from getcwd() (never $PWD), "//" and "/./" removed;
 * malloc'd, or NULL with errno. */
char *sheaf_fs_absolute(const char *path);

/* path absolute with every symbolic link resolved, as far as it exists (the
 * rest appended, "." and ".." applied); malloc'd, or NULL with errno. */
char *sheaf_fs_canonical(const char *path);

/* 1 when path is dir or below it (both canonical), else 0. */
int sheaf_fs_is_below(const char *path, const char *dir);

/* Sets OUT (once; setting the same folder again is a no-op) and installs the
 * signal handlers. Returns 0 or -1 with err. */
int sheaf_fs_set_root(const char *dir, sheaf_err *err);

/* The canonical OUT, or NULL before it is set. Owned by fs_guard.c. */
const char *sheaf_fs_root(void);

/* Checks that path is OUT or below it and takes OUT's lock. Returns 0, or
 * -1 with err ("refusing to write ... outside the output folder", or
 * "another build ... is writing into ..."). */
int sheaf_fs_claim(const char *path, sheaf_err *err);

/* At the end of the process that set the root: an OUT this run created and
 * that holds nothing but its lock (a build that failed before it wrote
 * anything) is removed, lock and all, so that a failed build leaves no
 * trace. Anything else in it keeps it. */
void sheaf_fs_release_root(void);

/* Remembers (forgets) an open Output's temporary folder for removal on a
 * signal. tmp must stay valid until untracked. */
void sheaf_fs_track(const char *tmp);
void sheaf_fs_untrack(const char *tmp);

/* In the process that set OUT (not a worker): kills the running workers and
 * removes the temporary folders of the Outputs still open, as a signal
 * does. Safe in a signal handler. */
void sheaf_fs_remove_open(void);

/* Kills this process with SIGKILL when the environment variable
 * SHEAF_TEST_KILL names point: the tests' way to stop a build at an exact
 * moment, as kill -9 would (points: "atomic:NAME", after sheaf_fs_write_atomic
 * wrote the data of a file named NAME beside it and before it renames it
 * into place; "apply:journal", after an apply's journal is written beside
 * its place and before it is renamed into it; "apply:moving", after the
 * first file of an apply is moved into place; "output:made", after an
 * Output's temporary folder is made). SHEAF_TEST_TERM names a point where
 * the process sends itself SIGTERM instead, as a user's kill would. */
void sheaf_fs_test_kill(const char *point);

/* Blocks the stopping signals (block = 1, the old mask saved in *old) or
 * restores *old (block = 0). */
void sheaf_fs_block_signals(int block, sigset_t *old);

/* --- For C modules that write files into an Output (zip, pdf) --- */

/* Checks that the value at idx is an open Output (raises otherwise), checks
 * rel (raises "sheaf.fs: refusing path ..." when bad), creates rel's parent
 * folders inside the temporary folder and returns the absolute path of rel
 * there, malloc'd: the caller writes it and frees the string. Raises when an
 * existing rel is a folder or a symbolic link. */
char *sheaf_output_resolve(lua_State *L, int idx, const char *rel);

/* Pushes the stamp of st: "dev:ino:size:mtime_ns" for a regular file, the
 * same with "dir:" before it for a folder (sheaf.fs.stamp's; the one place
 * it is made). */
void sheaf_fs_push_stamp(lua_State *L, const struct stat *st);

/* Returns 1 when the value at idx is an Output that is neither committed nor
 * aborted, else 0. Never raises. */
int sheaf_output_is_open(lua_State *L, int idx);

#endif
