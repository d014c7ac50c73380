/*
 * An exec credential plugin (client.authentication.k8s.io ExecCredential),
 * such as `aws eks get-token`: run without a shell, stdin from /dev/null,
 * stdout capped and read with a deadline; its token (or client certificate)
 * is used for this run only and registered as a secret.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kube/internal.h"

extern char **environ;

#define EXEC_STDOUT_CAP (1024u * 1024)
#define EXEC_TIMEOUT_MS 60000
#define EXEC_MAX_ARGS   64
#define EXEC_MAX_ENV    64

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* argv and envp for the plugin; strings owned by `keep`. */
typedef struct {
	char *argv[EXEC_MAX_ARGS + 2];
	char **envp;
	gws_vec keep;
} exec_cmd;

static void cmd_dispose(exec_cmd *c)
{
	for (size_t i = 0; i < c->keep.len; i++)
		gws_free(c->keep.items[i]);
	gws_vec_dispose(&c->keep);
	gws_free(c->envp);
}

static char *keep(exec_cmd *c, char *s)
{
	if (s && gws_vec_push(&c->keep, s) < 0) {
		gws_free(s);
		return NULL;
	}
	return s;
}

static int build(exec_cmd *c, json_t *exec, const char *dir)
{
	const char *command = json_string_value(json_object_get(exec, "command"));
	json_t *args = json_object_get(exec, "args"), *env = json_object_get(exec, "env"), *v;
	size_t n_env = 0, i;

	if (!command || !*command)
		return gws_error_set(GWS_EINVALID,
		                     "Kubernetes API: the exec plugin has no command");
	if (json_array_size(args) > EXEC_MAX_ARGS || json_array_size(env) > EXEC_MAX_ENV)
		return gws_error_set(GWS_EINVALID, "Kubernetes API: the exec plugin has too many "
		                                   "arguments or variables");
	/* A relative path with a slash is relative to the kubeconfig's directory. */
	c->argv[0] = command[0] != '/' && strchr(command, '/')
	                     ? keep(c, gws_asprintf("%s/%s", dir, command))
	                     : keep(c, gws_strdup(command));
	json_array_foreach(args, i, v)
	{
		if (!json_is_string(v))
			return gws_error_set(GWS_EINVALID,
			                     "Kubernetes API: an exec plugin argument "
			                     "is not a string");
		c->argv[i + 1] = (char *)json_string_value(v);
	}
	while (environ[n_env])
		n_env++;
	c->envp = gws_calloc(n_env + json_array_size(env) + 2, sizeof(*c->envp));
	if (!c->argv[0] || !c->envp)
		return GWS_ENOMEM;
	memcpy(c->envp, environ, n_env * sizeof(*c->envp));
	json_array_foreach(env, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *value = json_string_value(json_object_get(v, "value"));

		if (!name || !value || !*name || strchr(name, '='))
			return gws_error_set(GWS_EINVALID,
			                     "Kubernetes API: an exec plugin variable "
			                     "needs a name and a value");
		if (!(c->envp[n_env++] = keep(c, gws_asprintf("%s=%s", name, value))))
			return GWS_ENOMEM;
	}
	c->envp[n_env] = keep(
	        c, gws_asprintf("KUBERNETES_EXEC_INFO={\"apiVersion\":\"%s\",\"kind\":"
	                        "\"ExecCredential\",\"spec\":{\"interactive\":false}}",
	                        json_string_value(json_object_get(exec, "apiVersion"))
	                                ? json_string_value(json_object_get(exec, "apiVersion"))
	                                : "client.authentication.k8s.io/v1"));
	return c->envp[n_env] ? 0 : GWS_ENOMEM;
}

static int run(gws_buf *out, exec_cmd *c)
{
	posix_spawn_file_actions_t fa;
	int fds[2] = {-1, -1}, status = 0, error = 0;
	long deadline = now_ms() + EXEC_TIMEOUT_MS;
	pid_t pid = -1;
	char chunk[4096];

	if (pipe(fds) != 0)
		return gws_error_set_errno(GWS_EIO, "exec plugin: pipe");
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	error = posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv, c->envp);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (error != 0) {
		close(fds[0]);
		return gws_error_set(GWS_EAUTH, "Kubernetes API: cannot run the exec plugin %s: %s",
		                     c->argv[0], strerror(error));
	}
	for (;;) {
		struct pollfd pfd = {fds[0], POLLIN, 0};
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			error = gws_error_set(GWS_ETIMEOUT,
			                      "Kubernetes API: the exec plugin %s "
			                      "did not finish in time",
			                      c->argv[0]);
			kill(pid, SIGKILL);
			break;
		}
		n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (gws_buf_put(out, chunk, (size_t)n) < 0) {
			error = gws_error_set(GWS_ETOOBIG,
			                      "Kubernetes API: the exec plugin's output "
			                      "is too large");
			kill(pid, SIGKILL);
			break;
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (!error && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		error = gws_error_set(GWS_EAUTH,
		                      "Kubernetes API: the exec plugin %s failed (%s %d)",
		                      c->argv[0], WIFEXITED(status) ? "exit status" : "signal",
		                      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return error;
}

static int take(gws_kube__target *t, const char *json, size_t len, const char *cmd)
{
	json_t *doc = json_loadb(json, len, 0, NULL), *st = json_object_get(doc, "status");
	const char *token = json_string_value(json_object_get(st, "token"));
	const char *cert = json_string_value(json_object_get(st, "clientCertificateData"));
	const char *key = json_string_value(json_object_get(st, "clientKeyData"));
	int error = 0;

	if (token && *token) {
		gws_free(t->token);
		if (!(t->token = gws_strdup(token)))
			error = GWS_ENOMEM;
		else
			error = gws_secret_register(t->token);
	} else if (cert && key) {
		gws_buf_clear(&t->cert);
		gws_buf_clear(&t->key);
		if (gws_buf_puts(&t->cert, cert) < 0 || gws_buf_puts(&t->key, key) < 0)
			error = GWS_ETOOBIG;
		else
			error = gws_secret_register(key);
	} else {
		error = gws_error_set(GWS_EAUTH,
		                      "Kubernetes API: the exec plugin %s printed no "
		                      "ExecCredential with a token or a certificate",
		                      cmd);
	}
	json_decref(doc);
	return error;
}

int gws_kube__exec_plugin(gws_kube__target *t, json_t *exec, const char *dir)
{
	exec_cmd c;
	gws_buf out = GWS_BUF_INIT(EXEC_STDOUT_CAP);
	int error;

	memset(&c, 0, sizeof(c));
	if ((error = build(&c, exec, dir)) == 0 && (error = run(&out, &c)) == 0)
		error = take(t, out.ptr ? out.ptr : "", out.size, c.argv[0]);
	if (out.ptr)
		memset(out.ptr, 0, out.size);
	gws_buf_dispose(&out);
	cmd_dispose(&c);
	return error;
}
