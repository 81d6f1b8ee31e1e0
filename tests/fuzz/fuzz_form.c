/* fuzz_form.c: the urlencoded form parser over arbitrary bytes. Every
 * field it returns must be NUL-free and bounded by the input. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/limits.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct form_field *f;
	size_t n, i;

	arena_init(&a);
	if (form_parse(&a, (const char *)data, size, &f, &n) == P_OK) {
		assert(n <= LIM_FORM_FIELDS);
		for (i = 0; i < n; i++) {
			assert(strlen(f[i].name) <= size);
			assert(strlen(f[i].value) <= size);
		}
		(void)form_get(f, n, "comment");
	}
	arena_free(&a);
	return 0;
}
