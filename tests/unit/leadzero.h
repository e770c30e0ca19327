/* leadzero.h - the words of every leading-zero error (fields.h,
 * field_number_fits), before the number meant: "capacity '010' "
 * LEADING_ZERO " 10". */
#ifndef PM_TEST_LEADZERO_H
#define PM_TEST_LEADZERO_H

/* A whole number YAML 1.1 reads as octal (yaml.org/type/int.html):
 * LEADING_ZERO_OCTAL("010", "8", "10"). */
#define LEADING_ZERO_OCTAL(text, octal, dec) "has a leading zero, which " \
	"YAML readers disagree on (YAML 1.1 reads " text " as the octal " \
	"number " octal ", YAML 1.2 as " dec "); write " dec
/* ... and one with an 8 or a 9, text to YAML 1.1: ("09", "9"). */
#define LEADING_ZERO_NOT_OCTAL(text, dec) "has a leading zero, which " \
	"YAML readers disagree on (YAML 1.1 reads " text " as text, YAML " \
	"1.2 as the number " dec "); write " dec
/* ... and of a number with a decimal point, which YAML reads one way. */
#define LEADING_ZERO_DECIMAL "has a leading zero, which numbers are " \
	"written without (a whole number with one is read two ways by " \
	"YAML); write"

/* The same of text that holds a number ("04-08 weeks", "05 MB"), and of
 * a number every YAML reader reads alike ("02", "00"). */
#define LEADING_ZERO_TEXT "has a leading zero, which numbers are written " \
	"without; write"
#endif
