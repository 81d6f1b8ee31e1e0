/* replay_main.c: a main() for any libFuzzer target, so the normal test run
 * replays tests/fuzz/regression/ without libFuzzer (gcc, no -fsanitize=
 * fuzzer). Each argument is a file, or a directory whose regular files
 * (not dotfiles) are each one input. Every input is copied into a buffer
 * of exactly its size so sanitizers catch reads past the end, as under
 * libFuzzer. A target reports failure by aborting; reaching the end means
 * every input passed. Exit 2 if a file cannot be read. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
replay_file(const char *path)
{
	FILE *f;
	uint8_t *data = NULL, *p;
	size_t len = 0, cap = 0, got;
	int ok;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((p = realloc(data, cap)) == NULL)
				abort();
			data = p;
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	ok = !ferror(f);
	fclose(f);
	if (!ok) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(data);
		return -1;
	}
	/* Exactly len bytes (one for an empty input), so an over-read is
	 * caught rather than landing in spare capacity. */
	if ((p = malloc(len ? len : 1)) == NULL)
		abort();
	if (len)
		memcpy(p, data, len);
	free(data);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	(void)LLVMFuzzerTestOneInput(p, len);
	free(p);
	return 0;
}

static int
replay_dir(const char *dir, int *count)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int n, rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			fprintf(stderr, "replay: %s/%s: path too long\n", dir,
			    de->d_name);
			rc = -1;
			continue;
		}
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0)
			rc = -1;
		else
			(*count)++;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, count = 0, rc = 0;

	if (LLVMFuzzerInitialize != NULL)
		(void)LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) != 0)
				rc = 2;
		} else if (replay_file(argv[i]) != 0)
			rc = 2;
		else
			count++;
	}
	fprintf(stderr, "replay: %d input(s) passed\n", count);
	return rc;
}
