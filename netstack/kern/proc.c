/*
 * proc.c -- kernel processes: descriptor tables, open files, the
 * calling thread's process, and sleeping inside a system call.
 *
 * Every system call of a process runs between sys_enter and sys_exit,
 * which count it in p_calls; a call that blocks does so in proc_sleep,
 * which lists it on p_sleepers.  proc_destroy can therefore interrupt
 * the blocked calls of a dying process (they return EINTR) and wait
 * until none is left before it closes the descriptors.
 */
#include "netstack/kern/socket_private.h"

#define FD_INITIAL	16

static void fd_grow(struct proc *p, unsigned fd);
static void fd_set(struct proc *p, unsigned fd, struct file *fp,
    int fdflags);

int
proc_create(struct netstack *ns, struct proc **pp)
{
	struct socket_state *ss;
	struct proc *p;
	int rv;

	klock_enter(&ns->ns_klock);
	ss = socket_state(ns);
	klock_exit(&ns->ns_klock);
	if (ss == NULL)
		return ENXIO;	/* a kernel without the socket layer */
	p = kmem_zalloc(sizeof(*p));
	if ((rv = kcondvar_init(&p->p_cv)) != 0) {
		kmem_free(p, sizeof(*p));
		return rv;
	}
	p->p_ns = ns;
	p->p_lwp.l_proc = p;
	p->p_lwp.l_ns = ns;

	klock_enter(&ns->ns_klock);
	p->p_next = ss->ss_procs;
	if (p->p_next != NULL)
		p->p_next->p_prevp = &p->p_next;
	ss->ss_procs = p;
	p->p_prevp = &ss->ss_procs;
	klock_exit(&ns->ns_klock);
	*pp = p;
	return 0;
}

/* Close every descriptor and free p.  Lock held, no call in progress. */
static void
proc_free(struct proc *p)
{
	KASSERT(p->p_calls == 0 && p->p_sleepers == NULL);
	for (unsigned fd = 0; fd < p->p_nfd; fd++)
		if (p->p_fd[fd].fe_file != NULL)
			(void)fd_close(p, (int)fd);
	KASSERT(p->p_nopen == 0);
	kmem_free(p->p_fd, p->p_nfd * sizeof(p->p_fd[0]));
	*p->p_prevp = p->p_next;
	if (p->p_next != NULL)
		p->p_next->p_prevp = p->p_prevp;
	kcondvar_destroy(&p->p_cv);
	kmem_free(p, sizeof(*p));
}

void
proc_destroy(struct proc *p)
{
	struct netstack *ns = p->p_ns;

	klock_enter(&ns->ns_klock);
	KASSERT(!p->p_dying);
	p->p_dying = true;
	for (struct ksleep *ks = p->p_sleepers; ks != NULL; ks = ks->ks_next)
		kcondvar_broadcast(ks->ks_cv);
	while (p->p_calls > 0)
		(void)klock_sleep(&ns->ns_klock, &p->p_cv, 0);
	proc_free(p);
	klock_exit(&ns->ns_klock);
}

int
proc_fork(struct proc *parent, struct proc **childp)
{
	struct netstack *ns = parent->p_ns;
	struct proc *c;
	int error;

	if ((error = proc_create(ns, &c)) != 0)
		return error;
	klock_enter(&ns->ns_klock);
	if (parent->p_dying) {
		klock_exit(&ns->ns_klock);
		proc_destroy(c);
		return EINTR;
	}
	for (unsigned fd = 0; fd < parent->p_nfd; fd++) {
		struct fdent *fe = &parent->p_fd[fd];

		if (fe->fe_file == NULL)
			continue;
		fd_grow(c, fd);
		fd_set(c, fd, fe->fe_file, fe->fe_flags);
	}
	klock_exit(&ns->ns_klock);
	*childp = c;
	return 0;
}

void
proc_destroy_all(struct netstack *ns)
{
	struct socket_state *ss = socket_state(ns);

	while (ss->ss_procs != NULL)
		proc_destroy(ss->ss_procs);
}

struct netstack *
proc_netstack(const struct proc *p)
{
	return p->p_ns;
}

unsigned
proc_nfiles(struct proc *p)
{
	unsigned n;

	klock_enter(&p->p_ns->ns_klock);
	n = p->p_nopen;
	klock_exit(&p->p_ns->ns_klock);
	return n;
}

void
proc_setcurrent(struct proc *p)
{
	rumpuser_curlwp_set(p != NULL ? &p->p_lwp : NULL);
}

struct proc *
proc_current(void)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL ? l->l_proc : NULL;
}

void
proc_lwp_init(struct lwp *l, struct proc *p)
{
	memset(l, 0, sizeof(*l));
	l->l_proc = p;
	l->l_ns = p->p_ns;
}

void
proc_setlwp(struct lwp *l)
{
	rumpuser_curlwp_set(l);
}

void
proc_lwp_interrupt(struct lwp *l)
{
	struct netstack *ns = l->l_ns;
	struct proc *p = l->l_proc;

	klock_enter(&ns->ns_klock);
	l->l_intr = true;
	for (struct ksleep *ks = p->p_sleepers; ks != NULL; ks = ks->ks_next)
		if (ks->ks_lwp == l)
			kcondvar_broadcast(ks->ks_cv);
	klock_exit(&ns->ns_klock);
}

void
proc_lwp_clear(struct lwp *l)
{
	klock_enter(&l->l_ns->ns_klock);
	l->l_intr = false;
	klock_exit(&l->l_ns->ns_klock);
}

/* Is the calling thread's own call of p interrupted?  Lock held. */
static bool
proc_lwp_interrupted(struct proc *p, struct lwp **lp)
{
	struct lwp *l = rumpuser_curlwp();

	*lp = (l != NULL && l->l_proc == p) ? l : NULL;
	return *lp != NULL && (*lp)->l_intr;
}

/* ------------------------------------------------------- system calls */

int
sys_enter(struct proc *p)
{
	struct netstack *ns = p->p_ns;

	klock_enter(&ns->ns_klock);
	netstack_tick(ns);
	if (p->p_dying) {
		klock_exit(&ns->ns_klock);
		return EINTR;
	}
	p->p_calls++;
	return 0;
}

void
sys_exit(struct proc *p)
{
	struct netstack *ns = p->p_ns;

	KASSERT(p->p_calls > 0);
	if (--p->p_calls == 0 && p->p_dying)
		kcondvar_broadcast(&p->p_cv);
	klock_exit(&ns->ns_klock);
}

static void
proc_sleep_timeout(void *arg)
{
	struct ksleep *ks = arg;

	ks->ks_timedout = true;
	kcondvar_broadcast(ks->ks_cv);
}

int
proc_sleep(struct proc *p, struct kcondvar *cv, uint64_t deadline)
{
	struct netstack *ns = p->p_ns;
	struct ksleep ks, **kp;
	struct lwp *l;

	KASSERT(klock_held(&ns->ns_klock));
	if (p->p_dying || proc_lwp_interrupted(p, &l))
		return EINTR;
	if (deadline != 0 && deadline <= netstack_now(ns))
		return EWOULDBLOCK;
	memset(&ks, 0, sizeof(ks));
	ks.ks_cv = cv;
	ks.ks_lwp = l;
	if (deadline != 0) {
		callout_init(&ks.ks_timer, ns, proc_sleep_timeout, &ks);
		callout_schedule_at(&ks.ks_timer, deadline);
	}
	ks.ks_next = p->p_sleepers;
	p->p_sleepers = &ks;

	(void)klock_sleep(&ns->ns_klock, cv, 0);

	for (kp = &p->p_sleepers; *kp != &ks; kp = &(*kp)->ks_next)
		KASSERT(*kp != NULL);
	*kp = ks.ks_next;
	if (deadline != 0)
		(void)callout_stop(&ks.ks_timer);
	netstack_tick(ns);
	if (p->p_dying || (l != NULL && l->l_intr))
		return EINTR;
	return ks.ks_timedout ? EWOULDBLOCK : 0;
}

/* -------------------------------------------------------------- files */

struct file *
file_alloc_socket(struct socket *so)
{
	struct file *fp = kmem_zalloc(sizeof(*fp));

	fp->f_type = FTYPE_SOCKET;
	fp->f_refs = 1;
	fp->f_socket = so;
	so->so_refs = 1;
	return fp;
}

void
file_release(struct file *fp)
{
	KASSERT(fp->f_refs > 0);
	if (--fp->f_refs > 0)
		return;
	if (fp->f_type == FTYPE_SOCKET)
		soclose(fp->f_socket);
	else if (fp->f_ops->fo_close != NULL)
		(*fp->f_ops->fo_close)(fp->f_data);
	kmem_free(fp, sizeof(*fp));
}

int
fd_getfile(struct proc *p, int fd, struct file **fpp)
{
	struct file *fp;

	KASSERT(klock_held(&p->p_ns->ns_klock));
	if (fd < 0 || (unsigned)fd >= p->p_nfd ||
	    (fp = p->p_fd[fd].fe_file) == NULL)
		return EBADF;
	fp->f_refs++;
	*fpp = fp;
	return 0;
}

int
fd_getsock(struct proc *p, int fd, struct file **fpp)
{
	int error;

	if ((error = fd_getfile(p, fd, fpp)) != 0)
		return error;
	if ((*fpp)->f_type != FTYPE_SOCKET) {
		file_release(*fpp);
		return ENOTSOCK;
	}
	return 0;
}

/* Make slot 'fd' exist. */
static void
fd_grow(struct proc *p, unsigned fd)
{
	unsigned nsize = p->p_nfd ? p->p_nfd : FD_INITIAL;
	struct fdent *n;

	KASSERT(fd < PROC_MAXFILES);
	if (fd < p->p_nfd)
		return;
	while (nsize <= fd)
		nsize *= 2;
	nsize = MIN(nsize, PROC_MAXFILES);
	n = kmem_zalloc(nsize * sizeof(*n));
	if (p->p_nfd > 0)
		memcpy(n, p->p_fd, p->p_nfd * sizeof(*n));
	kmem_free(p->p_fd, p->p_nfd * sizeof(*n));
	p->p_fd = n;
	p->p_nfd = nsize;
}

static void
fd_set(struct proc *p, unsigned fd, struct file *fp, int fdflags)
{
	KASSERT(p->p_fd[fd].fe_file == NULL);
	p->p_fd[fd].fe_file = fp;
	p->p_fd[fd].fe_flags = fdflags & KFD_CLOEXEC;
	fp->f_refs++;
	p->p_nopen++;
	if (fd == p->p_fdfree)
		p->p_fdfree++;
}

int
fd_alloc(struct proc *p, struct file *fp, int minfd, int fdflags, int *fdp)
{
	unsigned fd;

	KASSERT(klock_held(&p->p_ns->ns_klock));
	KASSERT(minfd >= 0);
	if ((unsigned)minfd >= PROC_MAXFILES)
		return EMFILE;
	/* Every slot below p_fdfree is taken. */
	for (fd = MAX((unsigned)minfd, p->p_fdfree); fd < p->p_nfd; fd++)
		if (p->p_fd[fd].fe_file == NULL)
			break;
	if (fd >= PROC_MAXFILES)
		return EMFILE;
	fd_grow(p, fd);
	fd_set(p, fd, fp, fdflags);
	*fdp = (int)fd;
	return 0;
}

bool
fd_available(struct proc *p)
{
	return p->p_nopen < PROC_MAXFILES;
}

int
fd_close(struct proc *p, int fd)
{
	struct file *fp;

	KASSERT(klock_held(&p->p_ns->ns_klock));
	if (fd < 0 || (unsigned)fd >= p->p_nfd ||
	    (fp = p->p_fd[fd].fe_file) == NULL)
		return EBADF;
	p->p_fd[fd].fe_file = NULL;
	p->p_fd[fd].fe_flags = 0;
	p->p_nopen--;
	if ((unsigned)fd < p->p_fdfree)
		p->p_fdfree = (unsigned)fd;
	file_release(fp);
	return 0;
}

int
fd_dup2(struct proc *p, int fd, int newfd, int fdflags)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(p, fd, &fp)) != 0)
		return error;
	if (newfd < 0 || newfd >= PROC_MAXFILES) {
		file_release(fp);
		return EBADF;
	}
	if ((unsigned)newfd < p->p_nfd && p->p_fd[newfd].fe_file != NULL)
		(void)fd_close(p, newfd);
	fd_grow(p, (unsigned)newfd);
	fd_set(p, (unsigned)newfd, fp, fdflags);
	file_release(fp);
	return 0;
}

int
fd_getflags(struct proc *p, int fd, int *flagsp)
{
	if (fd < 0 || (unsigned)fd >= p->p_nfd || p->p_fd[fd].fe_file == NULL)
		return EBADF;
	*flagsp = p->p_fd[fd].fe_flags;
	return 0;
}

int
fd_setflags(struct proc *p, int fd, int flags)
{
	if (fd < 0 || (unsigned)fd >= p->p_nfd || p->p_fd[fd].fe_file == NULL)
		return EBADF;
	p->p_fd[fd].fe_flags = flags & KFD_CLOEXEC;
	return 0;
}

int
fd_install(struct proc *p, const struct fileops *fo, void *data, int *fdp)
{
	struct file *fp;
	int error;

	if ((error = sys_enter(p)) != 0)
		return error;
	fp = kmem_zalloc(sizeof(*fp));
	fp->f_type = FTYPE_OTHER;
	fp->f_refs = 1;
	fp->f_ops = fo;
	fp->f_data = data;
	error = fd_alloc(p, fp, 0, 0, fdp);
	if (error == 0)
		file_release(fp);	/* the descriptor holds it now */
	else
		kmem_free(fp, sizeof(*fp));	/* the caller keeps data */
	sys_exit(p);
	return error;
}
