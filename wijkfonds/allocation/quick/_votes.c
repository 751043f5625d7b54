/* The quick path's VOTES reader in C: wijkfonds.allocation.quick._votes.read_groups.
 *
 * It computes exactly what the plain-Python reader in ballots.py computes (the distinct
 * ballots of a VOTES section, their counts, and per project the ballots naming it and the
 * sum of their values), and declines (returns None) in exactly the same cases. Why C: on
 * Katowice 2020 (38,903 rows) the Python reader spends about 60 ms splitting rows into
 * 233,000 field strings and counting them, which is most of a whole command-line run; this
 * reader looks at each byte once and makes Python objects only for the distinct ballots.
 * tests/allocation/test_quick_votes.py compares both readers on every shared file and on
 * random, broken and hostile sections.
 *
 * read_groups(rows, width, id_col, vote_col, points_col, index, limit, top)
 *   rows        the data rows of the VOTES section as UTF-8 (bytes or a memoryview of the
 *               file's bytes; no header line, no trailing blank),
 *   width       the header's number of fields; id_col, vote_col, points_col their places
 *               (points_col -1: no points column is read),
 *   index       {project id: project number}, ids matched exactly,
 *   limit       the longest ballot allowed (-1: any),
 *   top         values without points: 0 gives every project 1, top > 0 gives the project
 *               at rank r (from 0) top - r, -1 takes top as the longest ballot read.
 * returns (supporters, counts, named, sums, people, entries) or None, as ballots.Groups holds them;
 * None also for rows that are not UTF-8 or hold a NUL byte (the file's own bytes are read
 * undecoded, and the full reader refuses such files).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 9 /* points of at most 9 digits (below 10^9); longer ones are declined */

typedef struct {
    Py_ssize_t off;
    Py_ssize_t len;
} Span;

static uint64_t hash_span(const char *s, Span a, uint64_t h) {
    /* FNV-1a over the span's bytes, then its length, so that ("ab", "") and ("a", "b") differ */
    for (Py_ssize_t i = 0; i < a.len; i++) {
        h ^= (unsigned char)s[a.off + i];
        h *= 1099511628211ULL;
    }
    h ^= (uint64_t)a.len;
    h *= 1099511628211ULL;
    return h;
}

static int same_span(const char *s, Span a, Span b) {
    return a.len == b.len && memcmp(s + a.off, s + b.off, (size_t)a.len) == 0;
}

static Py_ssize_t table_size(Py_ssize_t items) {
    Py_ssize_t size = 16;
    while (size < 2 * items) {
        size *= 2;
    }
    return size;
}

/* The parsed ballots: ballot g has lengths[g] entries from starts[g] in projects/values. */
typedef struct {
    Py_ssize_t groups;
    Py_ssize_t *counts;
    Span *votes;
    Span *points;
    Py_ssize_t *starts;
    Py_ssize_t *lengths;
    long *projects;
    long *values;
} Parsed;

static void free_parsed(Parsed *p) {
    free(p->counts);
    free(p->votes);
    free(p->points);
    free(p->starts);
    free(p->lengths);
    free(p->projects);
    free(p->values);
}

/* 1 when s[0:n] is UTF-8 as Python's strict decoder takes it (no overlong forms, no
 * surrogates, nothing above U+10FFFF) and holds no NUL byte, which the full reader refuses. */
static int plain_utf8(const unsigned char *s, Py_ssize_t n) {
    const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    Py_ssize_t i = 0;
    while (i < n) {
        if (i + 8 <= n) { /* eight ASCII bytes at a time, none of them NUL */
            uint64_t word;
            memcpy(&word, s + i, 8);
            if ((word & high) == 0 && ((word - ones) & ~word & high) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0) {
                return 0;
            }
            i++;
            continue;
        }
        int length;
        uint32_t point;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            point = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            point = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            point = c & 0x07;
        } else {
            return 0;
        }
        if (i + length > n) {
            return 0;
        }
        for (int k = 1; k < length; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            point = (point << 6) | (s[i + k] & 0x3F);
        }
        if ((length == 3 && (point < 0x800 || (point >= 0xD800 && point <= 0xDFFF))) ||
            (length == 4 && (point < 0x10000 || point > 0x10FFFF))) {
            return 0;
        }
        i += length;
    }
    return 1;
}

/* The number of ';' in s[from:to], in a loop the compiler vectorises. */
static Py_ssize_t count_semicolons(const char *s, Py_ssize_t from, Py_ssize_t to) {
    Py_ssize_t found = 0;
    for (Py_ssize_t i = from; i < to; i++) {
        found += s[i] == ';';
    }
    return found;
}

/* Split the rows into fields: every row must have exactly `width` fields. Fills ids, votes and
 * points (one span per row); returns the number of rows, or -1 to decline. Each row is counted
 * whole (its ';'), then only walked up to the last column needed. */
static Py_ssize_t split_rows(const char *s, Py_ssize_t n, int width, int id_col, int vote_col, int points_col,
                             Span *ids, Span *votes, Span *points, Py_ssize_t capacity) {
    int last = id_col > vote_col ? id_col : vote_col;
    last = points_col > last ? points_col : last;
    Py_ssize_t row = 0, at = 0;
    while (at <= n) {
        const char *newline = memchr(s + at, '\n', (size_t)(n - at));
        Py_ssize_t end = newline != NULL ? newline - s : n;
        if (row >= capacity || count_semicolons(s, at, end) != width - 1) {
            return -1; /* a row with the wrong number of fields (a blank row has one) */
        }
        Py_ssize_t field_start = at;
        for (int field = 0; field <= last; field++) {
            const char *semicolon = field < width - 1 ? memchr(s + field_start, ';', (size_t)(end - field_start)) : NULL;
            Py_ssize_t field_end = semicolon != NULL ? semicolon - s : end;
            Span span = {field_start, field_end - field_start};
            if (field == id_col) {
                ids[row] = span;
            }
            if (field == vote_col) {
                votes[row] = span;
            }
            if (field == points_col) {
                points[row] = span;
            }
            field_start = field_end + 1;
        }
        row++;
        at = end + 1;
    }
    return row;
}

/* 1 when every voter id is non-empty and no two are the same, 0 to decline, -1 on no memory. */
static int ids_distinct(const char *s, const Span *ids, Py_ssize_t rows) {
    Py_ssize_t size = table_size(rows);
    Py_ssize_t *table = calloc((size_t)size, sizeof(Py_ssize_t));
    if (table == NULL) {
        return -1;
    }
    int ok = 1;
    for (Py_ssize_t r = 0; r < rows && ok; r++) {
        if (ids[r].len == 0) {
            ok = 0;
            break;
        }
        Py_ssize_t at = (Py_ssize_t)(hash_span(s, ids[r], 14695981039346656037ULL) & (uint64_t)(size - 1));
        while (table[at] != 0) {
            if (same_span(s, ids[table[at] - 1], ids[r])) {
                ok = 0;
                break;
            }
            at = (at + 1) & (size - 1);
        }
        table[at] = r + 1;
    }
    free(table);
    return ok;
}

/* Count the distinct (vote, points) pairs in the order first seen. Returns 0, or -1 on no memory. */
static int count_groups(const char *s, const Span *votes, const Span *points, int with_points, Py_ssize_t rows,
                        Parsed *p) {
    Py_ssize_t size = table_size(rows);
    Py_ssize_t *table = calloc((size_t)size, sizeof(Py_ssize_t));
    p->counts = malloc((size_t)rows * sizeof(Py_ssize_t));
    p->votes = malloc((size_t)rows * sizeof(Span));
    p->points = malloc((size_t)rows * sizeof(Span));
    if (table == NULL || p->counts == NULL || p->votes == NULL || p->points == NULL) {
        free(table);
        return -1;
    }
    Span none = {0, 0};
    for (Py_ssize_t r = 0; r < rows; r++) {
        Span vote = votes[r], point = with_points ? points[r] : none;
        uint64_t h = hash_span(s, point, hash_span(s, vote, 14695981039346656037ULL));
        Py_ssize_t at = (Py_ssize_t)(h & (uint64_t)(size - 1));
        while (table[at] != 0) {
            Py_ssize_t g = table[at] - 1;
            if (same_span(s, p->votes[g], vote) && same_span(s, p->points[g], point)) {
                break;
            }
            at = (at + 1) & (size - 1);
        }
        if (table[at] != 0) {
            p->counts[table[at] - 1]++;
        } else {
            Py_ssize_t g = p->groups++;
            p->votes[g] = vote;
            p->points[g] = point;
            p->counts[g] = 1;
            table[at] = g + 1;
        }
    }
    free(table);
    return 0;
}

/* Parse one group's vote (project ids, matched exactly in `index`) and points. Returns 1, 0 to
 * decline, -1 on a Python error. */
static int parse_group(const char *s, Parsed *p, Py_ssize_t g, int with_points, PyObject *index, long limit,
                       long *seen, long stamp, Py_ssize_t projects_known, Py_ssize_t *used) {
    Span vote = p->votes[g];
    Py_ssize_t start = *used, length = 0;
    p->starts[g] = start;
    if (vote.len > 0) {
        Py_ssize_t token = vote.off, end = vote.off + vote.len;
        for (Py_ssize_t i = vote.off; i <= end; i++) {
            if (i < end && s[i] != ',') {
                continue;
            }
            PyObject *key = PyUnicode_DecodeUTF8(s + token, i - token, "strict");
            if (key == NULL) {
                return -1;
            }
            PyObject *number = PyDict_GetItemWithError(index, key);
            Py_DECREF(key);
            if (number == NULL) {
                return PyErr_Occurred() ? -1 : 0; /* an id the file does not list exactly */
            }
            long k = PyLong_AsLong(number);
            if (k == -1 && PyErr_Occurred()) {
                return -1;
            }
            if (k < 0 || k >= projects_known) {
                PyErr_SetString(PyExc_ValueError, "a project number outside the index");
                return -1;
            }
            if (seen[k] == stamp) {
                return 0; /* a project named twice in one ballot */
            }
            seen[k] = stamp;
            p->projects[start + length] = k;
            length++;
            token = i + 1;
        }
    }
    if (limit >= 0 && length > limit) {
        return 0; /* longer than the file allows */
    }
    if (with_points) {
        Span point = p->points[g];
        Py_ssize_t tokens = 0, digits = 0, any_digit = 0;
        long value = 0;
        for (Py_ssize_t i = point.off; i <= point.off + point.len && point.len > 0; i++) {
            char c = i < point.off + point.len ? s[i] : ',';
            if (c == ',') {
                if (digits == 0 || tokens >= length) {
                    return 0; /* an empty token, or more points than projects */
                }
                p->values[start + tokens] = value;
                tokens++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (++digits > MAX_DIGITS) {
                    return 0;
                }
                value = value * 10 + (c - '0');
                any_digit = 1;
            } else {
                return 0; /* plain whole numbers only: no sign, space or other digit */
            }
        }
        if (point.len > 0 && !any_digit) {
            return 0;
        }
        if (tokens != length) {
            return 0;
        }
    }
    p->lengths[g] = length;
    *used = start + length;
    return 1;
}

/* A list of `n` Python ints from `values`, or NULL. */
static PyObject *int_list(const long long *values, Py_ssize_t n) {
    PyObject *list = PyList_New(n);
    for (Py_ssize_t i = 0; list != NULL && i < n; i++) {
        PyObject *item = PyLong_FromLongLong(values[i]);
        if (item == NULL) {
            Py_CLEAR(list);
        } else {
            PyList_SET_ITEM(list, i, item);
        }
    }
    return list;
}

static PyObject *build_result(Parsed *p, int with_points, long top, Py_ssize_t projects_known) {
    Py_ssize_t m = projects_known > 0 ? projects_known : 1, g_size = p->groups > 0 ? p->groups : 1;
    long long *named = calloc((size_t)m, sizeof(long long)), *sums = calloc((size_t)m, sizeof(long long));
    long long *people = calloc((size_t)m, sizeof(long long)), *counts = malloc((size_t)g_size * sizeof(long long));
    Py_ssize_t *supporting = calloc((size_t)m, sizeof(Py_ssize_t)), *filled = calloc((size_t)m, sizeof(Py_ssize_t));
    PyObject *supporters = NULL, *result = NULL;
    long long entries = 0;
    if (named == NULL || sums == NULL || people == NULL || counts == NULL || supporting == NULL || filled == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t g = 0; g < p->groups; g++) {
        long long count = (long long)p->counts[g];
        counts[g] = count;
        entries += p->lengths[g];
        for (Py_ssize_t r = 0; r < p->lengths[g]; r++) {
            long k = p->projects[p->starts[g] + r];
            long v = with_points ? p->values[p->starts[g] + r] : top ? top - (long)r : 1;
            long long weighted;
            p->values[p->starts[g] + r] = v;
            named[k] += count;
            if (__builtin_mul_overflow(count, (long long)v, &weighted) ||
                __builtin_add_overflow(sums[k], weighted, &sums[k])) {
                PyErr_SetString(PyExc_OverflowError, "a project's points do not fit");
                goto done;
            }
            if (v > 0) {
                supporting[k]++;
                people[k] += count;
            }
        }
    }
    /* Per project: the groups whose ballot gives it a value above 0, and those values. */
    supporters = PyList_New(projects_known);
    for (Py_ssize_t k = 0; supporters != NULL && k < projects_known; k++) {
        PyObject *pair = Py_BuildValue("(NN)", PyList_New(supporting[k]), PyList_New(supporting[k]));
        if (pair == NULL) {
            goto done;
        }
        PyList_SET_ITEM(supporters, k, pair);
    }
    if (supporters == NULL) {
        goto done;
    }
    for (Py_ssize_t g = 0; g < p->groups; g++) {
        for (Py_ssize_t r = 0; r < p->lengths[g]; r++) {
            long k = p->projects[p->starts[g] + r], v = p->values[p->starts[g] + r];
            if (v <= 0) {
                continue;
            }
            PyObject *pair = PyList_GET_ITEM(supporters, k);
            PyObject *group = PyLong_FromSsize_t(g), *value = PyLong_FromLong(v);
            if (group == NULL || value == NULL) {
                Py_XDECREF(group);
                Py_XDECREF(value);
                goto done;
            }
            PyList_SET_ITEM(PyTuple_GET_ITEM(pair, 0), filled[k], group);
            PyList_SET_ITEM(PyTuple_GET_ITEM(pair, 1), filled[k], value);
            filled[k]++;
        }
    }
    result = Py_BuildValue("(ONNNNL)", supporters, int_list(counts, p->groups), int_list(named, projects_known),
                           int_list(sums, projects_known), int_list(people, projects_known), entries);
done:
    Py_XDECREF(supporters);
    free(named);
    free(sums);
    free(people);
    free(counts);
    free(supporting);
    free(filled);
    return result;
}

static PyObject *read_buffer(const char *s, Py_ssize_t n, int width, int id_col, int vote_col, int points_col,
                             PyObject *index, long limit, long top) {
    if (width < 1 || id_col < 0 || id_col >= width || vote_col < 0 || vote_col >= width || points_col >= width) {
        PyErr_SetString(PyExc_ValueError, "columns outside the header");
        return NULL;
    }
    if (n == 0 || !plain_utf8((const unsigned char *)s, n)) {
        Py_RETURN_NONE; /* the full reader refuses bytes that are not UTF-8, and a NUL byte */
    }
    int with_points = points_col >= 0;
    Py_ssize_t capacity = 1;
    for (const char *at = memchr(s, '\n', (size_t)n); at != NULL; at = memchr(at + 1, '\n', (size_t)(s + n - at - 1))) {
        capacity++;
    }
    Py_ssize_t projects_known = PyDict_Size(index);
    Span *ids = malloc((size_t)capacity * sizeof(Span)), *votes = malloc((size_t)capacity * sizeof(Span));
    Span *points = malloc((size_t)capacity * sizeof(Span));
    long *seen = malloc((size_t)(projects_known > 0 ? projects_known : 1) * sizeof(long));
    Parsed p = {0};
    PyObject *result = NULL;
    if (ids == NULL || votes == NULL || points == NULL || seen == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t rows = split_rows(s, n, width, id_col, vote_col, points_col, ids, votes, points, capacity);
    if (rows < 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    int distinct = ids_distinct(s, ids, rows);
    if (distinct <= 0) {
        if (distinct < 0) {
            PyErr_NoMemory();
        } else {
            result = Py_NewRef(Py_None);
        }
        goto done;
    }
    if (count_groups(s, votes, points, with_points, rows, &p) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    /* A ballot names each project at most once, so no group has more entries than there are
     * projects, nor more than its vote has bytes. */
    Py_ssize_t entries = 0;
    for (Py_ssize_t g = 0; g < p.groups; g++) {
        entries += p.votes[g].len / 2 + 1 < projects_known ? p.votes[g].len / 2 + 1 : projects_known;
    }
    p.starts = malloc((size_t)(p.groups > 0 ? p.groups : 1) * sizeof(Py_ssize_t));
    p.lengths = malloc((size_t)(p.groups > 0 ? p.groups : 1) * sizeof(Py_ssize_t));
    p.projects = malloc((size_t)(entries > 0 ? entries : 1) * sizeof(long));
    p.values = malloc((size_t)(entries > 0 ? entries : 1) * sizeof(long));
    if (p.starts == NULL || p.lengths == NULL || p.projects == NULL || p.values == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < projects_known; k++) {
        seen[k] = -1;
    }
    Py_ssize_t used = 0;
    long longest = 0;
    for (Py_ssize_t g = 0; g < p.groups; g++) {
        int ok = parse_group(s, &p, g, with_points, index, limit, seen, (long)g, projects_known, &used);
        if (ok <= 0) {
            if (ok == 0) {
                result = Py_NewRef(Py_None);
            }
            goto done;
        }
        if (p.lengths[g] > longest) {
            longest = (long)p.lengths[g];
        }
    }
    result = build_result(&p, with_points, top < 0 ? longest : top, projects_known);
done:
    free(ids);
    free(votes);
    free(points);
    free(seen);
    free_parsed(&p);
    return result;
}

static PyObject *read_groups(PyObject *module, PyObject *args) {
    Py_buffer view;
    PyObject *index;
    int width, id_col, vote_col, points_col;
    long limit, top;
    (void)module;
    if (!PyArg_ParseTuple(args, "y*iiiiO!ll:read_groups", &view, &width, &id_col, &vote_col, &points_col,
                          &PyDict_Type, &index, &limit, &top)) {
        return NULL;
    }
    PyObject *result = read_buffer(view.buf, view.len, width, id_col, vote_col, points_col, index, limit, top);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"read_groups", read_groups, METH_VARARGS, "The distinct ballots of a VOTES section's rows, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_votes", "The quick path's VOTES reader in C (see ballots.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__votes(void) { return PyModule_Create(&module); }
