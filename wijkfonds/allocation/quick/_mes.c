/* The quick path's Equal Shares in C: wijkfonds.allocation.quick._mes.equal_shares.
 *
 * The same computation as equal_shares() in mes.py, operation for operation in IEEE doubles
 * (so the results are the same bits; compiled with -ffp-contract=off so that no multiply-add
 * is fused), and the same doubts: where mes.py raises Doubt this returns None. Why C: on
 * Warsaw 2026 (55,017 distinct ballots, 83 projects) the Python loop takes about 0.6 s, more
 * than the full engine's whole run; this takes a few milliseconds.
 * tests/allocation/test_quick_mes.py compares both on every shared file and on random rounds.
 *
 * equal_shares(supporters, counts, costs, ranks, b0)
 *   supporters  per project (groups, utilities): two lists of ints, utilities above 0,
 *   counts      voters per group, costs per project (whole units, above 0),
 *   ranks       per project its place when the ids are sorted as strings (ties go to the lower),
 *   b0          every voter's starting share.
 * returns (selected, rhos, poor, budgets) as mes.QuickRun holds them, or None for a doubt.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

#define TOL 1e-9

typedef struct {
    double ratio;
    double left;
    long long w;
    long long n;
} Item;

/* Python's order of the tuples (ratio, left, w, n). */
static int compare_items(const void *a, const void *b) {
    const Item *x = a, *y = b;
    if (x->ratio != y->ratio) {
        return x->ratio < y->ratio ? -1 : 1;
    }
    if (x->left != y->left) {
        return x->left < y->left ? -1 : 1;
    }
    if (x->w != y->w) {
        return x->w < y->w ? -1 : 1;
    }
    return (x->n > y->n) - (x->n < y->n);
}

/* A binary min-heap over items[0..size) in compare_items' order: the items come off it in the
 * order a full sort gives, but only as many as the price needs (most supporters are not poor). */
static void sift_down(Item *items, Py_ssize_t size, Py_ssize_t at) {
    for (;;) {
        Py_ssize_t least = at, left = 2 * at + 1, right = left + 1;
        if (left < size && compare_items(&items[left], &items[least]) < 0) {
            least = left;
        }
        if (right < size && compare_items(&items[right], &items[least]) < 0) {
            least = right;
        }
        if (least == at) {
            return;
        }
        Item swap = items[at];
        items[at] = items[least];
        items[least] = swap;
        at = least;
    }
}

typedef struct {
    Py_ssize_t m, groups;
    Py_ssize_t *start; /* project j's supporters are member[start[j] .. start[j + 1]) */
    Py_ssize_t *member;
    long long *utility;
    long long *count;
    long long *cost;
    long long *rank;
    double *budget;
    Item *items;
} Round;

enum { PRICED, CANNOT_PAY, DOUBT };

/* The smallest rho at which project j's supporters pay its cost (mes.py's _rho). */
static int price_of(Round *r, Py_ssize_t j, double *rho) {
    double total = 0.0;
    for (Py_ssize_t e = r->start[j]; e < r->start[j + 1]; e++) {
        total += (double)r->count[r->member[e]] * r->budget[r->member[e]];
    }
    double cost = (double)r->cost[j];
    if (fabs(total - cost) <= TOL * (total + cost)) {
        return DOUBT; /* the supporters hold almost exactly the cost */
    }
    if (total < cost) {
        return CANNOT_PAY;
    }
    Py_ssize_t k = 0;
    long long weight_sum = 0;
    for (Py_ssize_t e = r->start[j]; e < r->start[j + 1]; e++, k++) {
        Py_ssize_t g = r->member[e];
        Item item = {r->budget[g] / (double)r->utility[e], r->budget[g], r->utility[e], r->count[g]};
        long long wn;
        if (__builtin_mul_overflow(item.w, item.n, &wn) || __builtin_add_overflow(weight_sum, wn, &weight_sum)) {
            return DOUBT; /* beyond exact integers: left to the full engine */
        }
        r->items[k] = item;
    }
    for (Py_ssize_t at = k / 2 - 1; at >= 0; at--) {
        sift_down(r->items, k, at);
    }
    double paid = 0.0, weight = (double)weight_sum;
    for (Py_ssize_t size = k; size > 0; size--) {
        Item least = r->items[0];
        double price = ((double)r->cost[j] - paid) / weight;
        if (price <= least.ratio) {
            *rho = price;
            return PRICED;
        }
        paid += least.left * (double)least.n;
        weight -= (double)(least.w * least.n);
        r->items[0] = r->items[size - 1];
        sift_down(r->items, size - 1, 0);
    }
    return DOUBT; /* no price found: total >= cost guarantees one, so only rounding gets here */
}

/* Charge project j's supporters rho per unit of utility (mes.py's _pay); -1 for a doubt. */
static long long pay(Round *r, Py_ssize_t j, double rho) {
    long long poor = 0;
    for (Py_ssize_t e = r->start[j]; e < r->start[j + 1]; e++) {
        Py_ssize_t g = r->member[e];
        double due = rho * (double)r->utility[e], left = r->budget[g];
        if (fabs(left - due) <= TOL * due) {
            return -1; /* a supporter has almost exactly its share */
        }
        if (left < due) {
            poor += r->count[g];
            r->budget[g] = 0.0;
        } else {
            r->budget[g] = left - due;
        }
    }
    return poor;
}

/* Sorting the live projects by (rho so far or 0, rank). */
static const double *sort_rho;
static const char *sort_priced;
static const long long *sort_rank;

static int compare_projects(const void *a, const void *b) {
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    double rx = sort_priced[x] ? sort_rho[x] : 0.0, ry = sort_priced[y] ? sort_rho[y] : 0.0;
    if (rx != ry) {
        return rx < ry ? -1 : 1;
    }
    return (sort_rank[x] > sort_rank[y]) - (sort_rank[x] < sort_rank[y]);
}

/* A C array of the ints in `list`, each at least `least`; 0 on success, -1 (with an exception) otherwise. */
static int read_ints(PyObject *list, long long *out, Py_ssize_t n, long long least) {
    if (!PyList_Check(list) || PyList_GET_SIZE(list) != n) {
        PyErr_SetString(PyExc_ValueError, "a list of the wrong length");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        long long v = PyLong_AsLongLong(PyList_GET_ITEM(list, i));
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (v < least) {
            PyErr_SetString(PyExc_ValueError, "a number below its least value");
            return -1;
        }
        out[i] = v;
    }
    return 0;
}

static PyObject *run(Round *r, double b0) {
    Py_ssize_t m = r->m;
    int doubt = 0;
    char *alive = calloc((size_t)m + 1, 1), *dirty = calloc((size_t)m + 1, 1), *priced = calloc((size_t)m + 1, 1);
    char *touched = calloc((size_t)r->groups + 1, 1);
    double *rho = calloc((size_t)m + 1, sizeof(double));
    Py_ssize_t *order = malloc(((size_t)m + 1) * sizeof(Py_ssize_t));
    PyObject *selected = PyList_New(0), *rhos = PyList_New(0), *poors = PyList_New(0), *result = NULL;
    if (alive == NULL || dirty == NULL || priced == NULL || touched == NULL || rho == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (selected == NULL || rhos == NULL || poors == NULL) {
        goto done;
    }
    for (Py_ssize_t g = 0; g < r->groups; g++) {
        r->budget[g] = b0;
    }
    Py_ssize_t living = 0;
    for (Py_ssize_t j = 0; j < m; j++) {
        alive[j] = dirty[j] = r->start[j + 1] > r->start[j];
        living += alive[j];
    }
    while (living > 0) {
        /* A project's rho only rises as budgets shrink, so a stale one is a lower bound: only
         * projects whose bound could still beat (or tie) the best are priced again. */
        Py_ssize_t n = 0, best = -1;
        for (Py_ssize_t j = 0; j < m; j++) {
            if (alive[j]) {
                order[n++] = j;
            }
        }
        sort_rho = rho;
        sort_priced = priced;
        sort_rank = r->rank;
        qsort(order, (size_t)n, sizeof(Py_ssize_t), compare_projects);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_ssize_t j = order[i];
            if (best >= 0 && (priced[j] ? rho[j] : 0.0) > rho[best] * (1 + 2 * TOL)) {
                break;
            }
            if (dirty[j]) {
                dirty[j] = 0;
                double price = 0.0;
                int status = price_of(r, j, &price);
                if (status == DOUBT) {
                    doubt = 1;
                    goto done;
                }
                if (status == CANNOT_PAY) {
                    alive[j] = 0;
                    priced[j] = 0;
                    living--;
                    continue;
                }
                rho[j] = price;
                priced[j] = 1;
            }
            if (best < 0 || rho[j] < rho[best] || (rho[j] == rho[best] && r->rank[j] < r->rank[best])) {
                best = j;
            }
        }
        if (best < 0) {
            break;
        }
        for (Py_ssize_t j = 0; j < m; j++) {
            if (alive[j] && j != best && !dirty[j] && rho[j] - rho[best] <= TOL * rho[best]) {
                doubt = 1; /* two projects too close to call */
                goto done;
            }
        }
        alive[best] = 0;
        living--;
        long long poor = pay(r, best, rho[best]);
        if (poor < 0) {
            doubt = 1;
            goto done;
        }
        PyObject *items[3] = {PyLong_FromSsize_t(best), PyFloat_FromDouble(rho[best]), PyLong_FromLongLong(poor)};
        PyObject *lists[3] = {selected, rhos, poors};
        for (int t = 0; t < 3; t++) {
            if (items[t] == NULL || PyList_Append(lists[t], items[t]) < 0) {
                for (int u = 0; u < 3; u++) {
                    Py_XDECREF(items[u]);
                }
                goto done;
            }
        }
        for (int t = 0; t < 3; t++) {
            Py_DECREF(items[t]);
        }
        for (Py_ssize_t e = r->start[best]; e < r->start[best + 1]; e++) {
            touched[r->member[e]] = 1;
        }
        for (Py_ssize_t j = 0; j < m; j++) {
            for (Py_ssize_t e = r->start[j]; alive[j] && !dirty[j] && e < r->start[j + 1]; e++) {
                dirty[j] = touched[r->member[e]];
            }
        }
        for (Py_ssize_t e = r->start[best]; e < r->start[best + 1]; e++) {
            touched[r->member[e]] = 0;
        }
    }
    PyObject *budgets = PyList_New(r->groups);
    for (Py_ssize_t g = 0; budgets != NULL && g < r->groups; g++) {
        PyObject *b = PyFloat_FromDouble(r->budget[g]);
        if (b == NULL) {
            Py_CLEAR(budgets);
        } else {
            PyList_SET_ITEM(budgets, g, b);
        }
    }
    if (budgets != NULL) {
        result = Py_BuildValue("(OOON)", selected, rhos, poors, budgets);
    }
done:
    if (doubt && !PyErr_Occurred()) {
        result = Py_NewRef(Py_None);
    }
    Py_XDECREF(selected);
    Py_XDECREF(rhos);
    Py_XDECREF(poors);
    free(alive);
    free(dirty);
    free(priced);
    free(touched);
    free(rho);
    free(order);
    return result;
}

static PyObject *equal_shares(PyObject *module, PyObject *args) {
    PyObject *supporters, *counts, *costs, *ranks;
    double b0;
    (void)module;
    if (!PyArg_ParseTuple(args, "O!O!O!O!d:equal_shares", &PyList_Type, &supporters, &PyList_Type, &counts,
                          &PyList_Type, &costs, &PyList_Type, &ranks, &b0)) {
        return NULL;
    }
    Round r = {0};
    r.m = PyList_GET_SIZE(supporters);
    r.groups = PyList_GET_SIZE(counts);
    PyObject *result = NULL;
    Py_ssize_t entries = 0;
    for (Py_ssize_t j = 0; j < r.m; j++) {
        PyObject *pair = PyList_GET_ITEM(supporters, j);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyList_Check(PyTuple_GET_ITEM(pair, 0))) {
            PyErr_SetString(PyExc_TypeError, "supporters must be (groups, utilities) pairs of lists");
            return NULL;
        }
        entries += PyList_GET_SIZE(PyTuple_GET_ITEM(pair, 0));
    }
    r.start = malloc(((size_t)r.m + 1) * sizeof(Py_ssize_t));
    r.member = malloc(((size_t)entries + 1) * sizeof(Py_ssize_t));
    r.utility = malloc(((size_t)entries + 1) * sizeof(long long));
    r.count = malloc(((size_t)r.groups + 1) * sizeof(long long));
    r.cost = malloc(((size_t)r.m + 1) * sizeof(long long));
    r.rank = malloc(((size_t)r.m + 1) * sizeof(long long));
    r.budget = malloc(((size_t)r.groups + 1) * sizeof(double));
    r.items = malloc(((size_t)entries + 1) * sizeof(Item));
    long long *members = malloc(((size_t)entries + 1) * sizeof(long long));
    if (r.start == NULL || r.member == NULL || r.utility == NULL || r.count == NULL || r.cost == NULL ||
        r.rank == NULL || r.budget == NULL || r.items == NULL || members == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (read_ints(counts, r.count, r.groups, 1) < 0 || read_ints(costs, r.cost, r.m, 1) < 0 ||
        read_ints(ranks, r.rank, r.m, 0) < 0) {
        goto done;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t j = 0; j < r.m; j++) {
        PyObject *pair = PyList_GET_ITEM(supporters, j);
        Py_ssize_t size = PyList_GET_SIZE(PyTuple_GET_ITEM(pair, 0));
        r.start[j] = at;
        if (read_ints(PyTuple_GET_ITEM(pair, 0), members + at, size, 0) < 0 ||
            read_ints(PyTuple_GET_ITEM(pair, 1), r.utility + at, size, 1) < 0) {
            goto done;
        }
        for (Py_ssize_t e = at; e < at + size; e++) {
            if (members[e] >= r.groups) {
                PyErr_SetString(PyExc_ValueError, "a supporter outside the groups");
                goto done;
            }
            r.member[e] = (Py_ssize_t)members[e];
        }
        at += size;
    }
    r.start[r.m] = at;
    result = run(&r, b0);
done:
    if (result == NULL && PyErr_ExceptionMatches(PyExc_OverflowError)) {
        PyErr_Clear(); /* amounts beyond 64 bits: the full engine computes them exactly */
        result = Py_NewRef(Py_None);
    }
    free(r.start);
    free(r.member);
    free(r.utility);
    free(r.count);
    free(r.cost);
    free(r.rank);
    free(r.budget);
    free(r.items);
    free(members);
    return result;
}

static PyMethodDef methods[] = {
    {"equal_shares", equal_shares, METH_VARARGS, "Equal Shares over groups of ballots, or None for a doubt."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_mes", "The quick path's Equal Shares in C (see mes.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__mes(void) { return PyModule_Create(&module); }
