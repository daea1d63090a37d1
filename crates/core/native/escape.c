/*
 * The landing a fault inside a native call escapes to (see src/escape.rs).
 *
 * This is C because it must set a jump target: a function that returns twice is outside Rust's
 * model, so Rust cannot call setjmp. Nothing else lives here.
 */
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>

/* Escapable calls nest this deep at most; deeper ones run without a landing of their own (a
   fault in them lands in the innermost one that has one). */
#define MAX_DEPTH 4

/* A thread's escapable calls in progress: where an escape lands, and why it escaped. */
struct landings {
    int depth;
    int reason;
    void *value;
    /* __builtin_setjmp's buffer: frame and stack pointer, resume address (5 words). */
    void *registers[MAX_DEPTH][5];
};

/*
 * Each thread's landings, in a pthread key rather than a __thread variable: the fault handler
 * looks them up on whatever thread faults, and the first __thread access of a dlopen'ed library
 * on a thread may allocate, which a signal handler must not. pthread_getspecific only reads the
 * thread's descriptor. Allocated on a thread's first escapable call, freed when it exits.
 */
static pthread_key_t landings_key;
static int key_ready = 0;

/* Creates the key; called once per process (shm_guard's install), before any escapable call.
   Returns 0 on success. */
int iox2js_escape_init(void) {
    if (pthread_key_create(&landings_key, free) != 0)
        return -1;
    __atomic_store_n(&key_ready, 1, __ATOMIC_RELEASE);
    return 0;
}

/* This thread's landings, made on first use; NULL when escapes are off or memory ran out. */
static struct landings *own_landings(void) {
    if (!__atomic_load_n(&key_ready, __ATOMIC_ACQUIRE))
        return NULL;
    struct landings *own = pthread_getspecific(landings_key);
    if (own == NULL) {
        own = calloc(1, sizeof *own);
        if (own != NULL && pthread_setspecific(landings_key, own) != 0) {
            free(own);
            own = NULL;
        }
    }
    return own;
}

/*
 * Runs body(context). Returns 0 when it returned, or the reason it escaped (iox2js_escape) with
 * its value in *value: a signal and the faulting address, or a reason of the core's own. The
 * body's frames are then gone: whatever they held is abandoned, which the caller must account
 * for.
 */
int iox2js_run_escapable(void (*body)(void *), void *context, void **value) {
    /* volatile: read again after a jump back, and the jump changes what it points to. */
    struct landings *volatile own = own_landings();
    if (own == NULL || own->depth == MAX_DEPTH) {
        body(context);
        return 0;
    }
    /* GCC's builtin setjmp, not sigsetjmp: it saves three words where sigsetjmp saves the
       whole register file (the compiler spills every callee-saved register of this function
       instead), a few nanoseconds on every call. The signal mask is not saved either:
       iox2js_escape unblocks the one signal its handler blocked. The escape has already popped
       this landing when the call lands here a second time. */
    if (__builtin_setjmp(own->registers[own->depth]) != 0) {
        *value = own->value;
        return own->reason;
    }
    own->depth++;
    body(context);
    own->depth--;
    return 0;
}

/* Whether the calling thread is inside an escapable call (from a fault handler). */
int iox2js_escapable(void) {
    if (!__atomic_load_n(&key_ready, __ATOMIC_ACQUIRE))
        return 0;
    struct landings *own = pthread_getspecific(landings_key);
    return own != NULL && own->depth > 0;
}

/*
 * Jumps to the landing of the calling thread's innermost escapable call, which must exist,
 * reporting (reason, value) there. A positive reason is a signal, and this is called from its
 * handler, which was entered with that signal blocked and is never returned from: the signal
 * is unblocked here. A negative reason is the core's own (src/escape.rs), from normal code.
 */
void iox2js_escape(int reason, void *value) {
    struct landings *own = pthread_getspecific(landings_key);
    if (reason > 0) {
        sigset_t handled;
        sigemptyset(&handled);
        sigaddset(&handled, reason);
        pthread_sigmask(SIG_UNBLOCK, &handled, NULL);
    }
    own->reason = reason;
    own->value = value;
    own->depth--;
    __builtin_longjmp(own->registers[own->depth], 1);
}
