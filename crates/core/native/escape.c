/*
 * The landing a memory fault inside a native call escapes to (see src/escape.rs).
 *
 * This is C because it must call sigsetjmp: a function that returns twice is outside Rust's
 * model, so Rust cannot call it. Nothing else lives here.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

/* A thread's innermost escapable call: where an escape lands, and why it escaped. */
struct landing {
    sigjmp_buf registers;
    int signal;
    void *address;
};

/*
 * Each thread's innermost landing, in a pthread key rather than a __thread variable: the fault
 * handler looks it up on whatever thread faults, and the first __thread access of a dlopen'ed
 * library on a thread may allocate, which a signal handler must not. pthread_getspecific only
 * reads the thread's descriptor.
 */
static pthread_key_t innermost_key;
static int key_ready = 0;

/* Creates the key; called once per process (shm_guard's install), before any escapable call.
   Returns 0 on success. */
int iox2js_escape_init(void) {
    if (pthread_key_create(&innermost_key, NULL) != 0)
        return -1;
    __atomic_store_n(&key_ready, 1, __ATOMIC_RELEASE);
    return 0;
}

/*
 * Runs body(context). Returns 0 when it returned, or the reason it escaped (iox2js_escape) with
 * its value in *address: a signal and the faulting address, or a reason of the core's own. The
 * body's frames are then gone: whatever they held is abandoned, which the caller must account
 * for.
 */
int iox2js_run_escapable(void (*body)(void *), void *context, void **address) {
    if (!__atomic_load_n(&key_ready, __ATOMIC_ACQUIRE)) {
        body(context);
        return 0;
    }
    /* volatile: its fields are written by iox2js_escape between sigsetjmp and the jump back,
       so they must be read from memory after landing. */
    volatile struct landing here;
    void *outer = pthread_getspecific(innermost_key);
    /* The signal mask is not saved (that would cost a system call per call): iox2js_escape
       unblocks the one signal its handler blocked. `outer` is not modified after sigsetjmp,
       so it keeps its value when the call lands here a second time. */
    if (sigsetjmp(*(sigjmp_buf *)&here.registers, 0) != 0) {
        pthread_setspecific(innermost_key, outer);
        *address = here.address;
        return here.signal;
    }
    pthread_setspecific(innermost_key, (void *)&here);
    body(context);
    pthread_setspecific(innermost_key, outer);
    return 0;
}

/* Whether the calling thread is inside an escapable call (from a fault handler). */
int iox2js_escapable(void) {
    return __atomic_load_n(&key_ready, __ATOMIC_ACQUIRE) && pthread_getspecific(innermost_key) != NULL;
}

/*
 * Jumps to the landing of the calling thread's innermost escapable call, which must exist,
 * reporting (reason, value) there. A positive reason is a signal, and this is called from its
 * handler, which was entered with that signal blocked and is never returned from: the signal
 * is unblocked here. A negative reason is the core's own (src/escape.rs), from normal code.
 */
void iox2js_escape(int reason, void *value) {
    volatile struct landing *innermost = pthread_getspecific(innermost_key);
    if (reason > 0) {
        sigset_t handled;
        sigemptyset(&handled);
        sigaddset(&handled, reason);
        pthread_sigmask(SIG_UNBLOCK, &handled, NULL);
    }
    innermost->signal = reason;
    innermost->address = value;
    siglongjmp(*(sigjmp_buf *)&innermost->registers, 1);
}
