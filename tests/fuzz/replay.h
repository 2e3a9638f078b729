/*
 * replay.h -- the corpus replay driver shared by the fuzz targets built
 * as ordinary programs (make check, any compiler): run
 * LLVMFuzzerTestOneInput once on every file of
 * $top_srcdir/tests/fuzz/corpus/<name>, or on the files given.
 * Include it from the target's replay section only.
 */
#ifndef _TESTS_FUZZ_REPLAY_H_
#define _TESTS_FUZZ_REPLAY_H_

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_REPLAY_MAX	(4 * 1024 * 1024)

static int
fuzz_replay_file(const char *path)
{
	static uint8_t buf[FUZZ_REPLAY_MAX];
	uint8_t *copy;
	size_t n;
	FILE *fp;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	/* An exact-size copy, so that an overread is caught by ASan. */
	if ((copy = malloc(n > 0 ? n : 1)) == NULL) {
		perror(path);
		return 1;
	}
	memcpy(copy, buf, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	return 0;
}

static int
fuzz_replay_main(int argc, char **argv, const char *name)
{
	char dir[4096], path[8192];
	const char *top = getenv("top_srcdir");
	struct dirent *de;
	int rv = 0, n = 0, i;
	DIR *dp;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			rv |= fuzz_replay_file(argv[i]);
		return rv;
	}
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s",
	    top != NULL ? top : ".", name);
	dp = opendir(dir);
	if (dp == NULL) {
		perror(dir);
		return 1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rv |= fuzz_replay_file(path);
		n++;
	}
	closedir(dp);
	printf("fuzz_%s: replayed %d inputs\n", name, n);
	return rv != 0 || n == 0;
}

#endif /* _TESTS_FUZZ_REPLAY_H_ */
