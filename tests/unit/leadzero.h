/* leadzero.h - the words of every leading-zero error (fields.h,
 * field_number_fits), before the number meant: "capacity '010' "
 * LEADING_ZERO " 10". */
#ifndef PM_TEST_LEADZERO_H
#define PM_TEST_LEADZERO_H

#define LEADING_ZERO "has a leading zero, which YAML readers disagree on " \
	"(YAML 1.1 reads 010 as the octal number 8, YAML 1.2 as 10); write"
/* ... and of a number with a decimal point, which YAML reads one way. */
#define LEADING_ZERO_DECIMAL "has a leading zero, which numbers are " \
	"written without (a whole number with one is read two ways by " \
	"YAML); write"

/* The same of text that holds a number ("04-08 weeks", "05 MB"), which
 * every YAML reader reads alike. */
#define LEADING_ZERO_TEXT "has a leading zero, which numbers are written " \
	"without; write"
#endif
