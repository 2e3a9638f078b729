/*
 * unit.h -- helpers shared by the Check unit tests.
 */
#ifndef _TESTS_UNIT_UNIT_H_
#define _TESTS_UNIT_UNIT_H_

#include <check.h>
#include <stdlib.h>

/*
 * Run one suite; the exit status is the number of failures (0 = pass).
 * CK_FORK is honoured; sanitizer builds run with CK_FORK=no so leaks are
 * reported per process.
 */
static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* _TESTS_UNIT_UNIT_H_ */
