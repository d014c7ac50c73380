/*
 * The render document (docs/render.md). Members are written in a fixed order,
 * so the output is byte-identical for an identical model. ELBv2 shapes use
 * the API member names.
 */
#include "model/internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A streaming JSON writer: the document goes straight into the output buffer
 * (a 100,000-route repository renders to ~800 MB of jansson nodes otherwise).
 * The layout is jansson's JSON_INDENT(2): `"key": value`, one member or item
 * per line, `{}` and `[]` for empty containers.
 */
#define JW_MAX_DEPTH 32

/* Large writes: the document goes to a pipe or a file, tens of megabytes of it. */
#define JW_CHUNK (1u << 20)

typedef struct {
	gws_buf *out;
	FILE *sink;           /* when set, output goes there instead of `out` */
	char chunk[JW_CHUNK]; /* small writes collect here first */
	size_t n;
	int depth;
	bool first[JW_MAX_DEPTH + 1];
	bool after_key;
	int error;
	bool stop[256]; /* bytes that end a plain run in a string: see init_stop() */
} rctx;

static void spill(rctx *r, const char *s, size_t n)
{
	if (r->error || n == 0)
		return;
	if (r->sink) {
		if (fwrite(s, 1, n, r->sink) != n)
			r->error = gws_error_set_errno(GWS_EIO, "writing the render document");
	} else {
		r->error = gws_buf_put(r->out, s, n);
	}
}

static void flush(rctx *r)
{
	spill(r, r->chunk, r->n);
	r->n = 0;
}

static void put(rctx *r, const char *s, size_t n)
{
	if (r->n + n > JW_CHUNK) {
		flush(r);
		if (n > JW_CHUNK) {
			spill(r, s, n);
			return;
		}
	}
	memcpy(r->chunk + r->n, s, n);
	r->n += n;
}

/* One byte: the writer's commonest call (quotes, commas, brackets). */
static void put1(rctx *r, char c)
{
	if (r->n == JW_CHUNK)
		flush(r);
	r->chunk[r->n++] = c;
}

static void puts_(rctx *r, const char *s)
{
	put(r, s, strlen(s));
}

/* "\n" and the indentation of the deepest level, written as one slice. */
static void newline_indent(rctx *r)
{
	static const char line[] =
	        "\n                                                                ";
	size_t n = 1 + 2 * (size_t)r->depth;

	put(r, line, n < sizeof(line) - 1 ? n : sizeof(line) - 1);
}

/* Before a value: nothing after a key; otherwise the item separator. */
static void prefix(rctx *r)
{
	if (r->after_key) {
		r->after_key = false;
		return;
	}
	if (r->depth == 0)
		return;
	if (!r->first[r->depth])
		put1(r, ',');
	r->first[r->depth] = false;
	newline_indent(r);
}

static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		size_t n, i;
		unsigned cp;
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 1;
			cp = *s & 0x1f;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2;
			cp = *s & 0x0f;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3;
			cp = *s & 0x07;
		} else {
			return false;
		}
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

/*
 * Bytes that need attention in a string: NUL (the end), controls, '"', '\\'
 * and non-ASCII. A table, because strings are most of the output.
 */
static void init_stop(rctx *r)
{
	for (unsigned c = 0; c < 256; c++)
		r->stop[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* The JSON escape of a control byte, '"' or '\\' (never NUL) into buf[6]; its length. */
static size_t escape(unsigned char c, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	static const char plain[] = "\"\\\n\t\r\b\f", letter[] = "\"\\ntrbf";
	const char *hit = strchr(plain, c);

	buf[0] = '\\';
	if (hit) {
		buf[1] = letter[hit - plain];
		return 2;
	}
	memcpy(buf + 1, "u00", 3);
	buf[4] = hex[c >> 4];
	buf[5] = hex[c & 0xf];
	return 6;
}

/* A string with something to escape (or no room left in the chunk), piece by piece. */
static void write_string_slow(rctx *r, const char *s)
{
	const char *run = s;
	bool checked = false;

	put1(r, '"');
	for (;; s++) {
		unsigned char c;
		char ebuf[8];
		while (!r->stop[(unsigned char)*s])
			s++;
		if ((c = (unsigned char)*s) == '\0')
			break;
		if (c >= 0x80) {
			if (!checked && !valid_utf8((const unsigned char *)s)) {
				/* not UTF-8: the rest becomes one replacement character */
				put(r, run, (size_t)(s - run));
				put(r, "\xef\xbf\xbd\"", 4);
				return;
			}
			checked = true;
			continue;
		}
		put(r, run, (size_t)(s - run));
		put(r, ebuf, escape(c, ebuf));
		run = s + 1;
	}
	put(r, run, (size_t)(s - run));
	put1(r, '"');
}

/* Strings are most of the document: the usual one (nothing to escape) is one copy. */
static void write_string(rctx *r, const char *s)
{
	const char *end = s;
	size_t len;

	while (!r->stop[(unsigned char)*end])
		end++;
	len = (size_t)(end - s);
	if (*end != '\0' || len + 2 > JW_CHUNK - r->n) {
		write_string_slow(r, s);
		return;
	}
	r->chunk[r->n] = '"';
	memcpy(r->chunk + r->n + 1, s, len);
	r->chunk[r->n + 1 + len] = '"';
	r->n += len + 2;
}

static void jbegin(rctx *r, char open)
{
	prefix(r);
	put1(r, open);
	if (r->depth >= JW_MAX_DEPTH) {
		r->error = r->error ? r->error : GWS_ERROR;
		return;
	}
	r->depth++;
	r->first[r->depth] = true;
}

static void jend(rctx *r, char close)
{
	bool empty = r->first[r->depth];
	r->depth--;
	if (!empty)
		newline_indent(r);
	put1(r, close);
}

static void obj_begin(rctx *r)
{
	jbegin(r, '{');
}

static void obj_end(rctx *r)
{
	jend(r, '}');
}

static void arr_begin(rctx *r)
{
	jbegin(r, '[');
}

static void arr_end(rctx *r)
{
	jend(r, ']');
}

static void key(rctx *r, const char *k)
{
	prefix(r);
	write_string(r, k);
	put(r, ": ", 2);
	r->after_key = true;
}

static void vstr(rctx *r, const char *s)
{
	prefix(r);
	if (s)
		write_string(r, s);
	else
		put(r, "null", 4);
}

static void vint(rctx *r, long long i)
{
	char buf[24];
	char *p = buf + sizeof(buf);
	/* unsigned arithmetic: LLONG_MIN has no positive twin */
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;

	prefix(r);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		*--p = '-';
	put(r, p, (size_t)(buf + sizeof(buf) - p));
}

static void vbool(rctx *r, bool b)
{
	prefix(r);
	puts_(r, b ? "true" : "false");
}

static void vnull(rctx *r)
{
	prefix(r);
	put(r, "null", 4);
}

/* key + value helpers */
static void kstr(rctx *r, const char *k, const char *s)
{
	key(r, k);
	vstr(r, s);
}

static void kint(rctx *r, const char *k, long long i)
{
	key(r, k);
	vint(r, i);
}

static void kbool(rctx *r, const char *k, bool b)
{
	key(r, k);
	vbool(r, b);
}

/* Only when the value is present. */
static void kopt(rctx *r, const char *k, const char *s)
{
	if (s)
		kstr(r, k, s);
}

static void jkvs(rctx *r, const gws_model_kvs *kvs)
{
	size_t i;
	obj_begin(r);
	for (i = 0; i < kvs->n; i++)
		kstr(r, kvs->items[i].key, kvs->items[i].value);
	obj_end(r);
}

static void jstrs(rctx *r, const gws_model_strs *s)
{
	size_t i;
	arr_begin(r);
	for (i = 0; i < s->n; i++)
		vstr(r, s->items[i]);
	arr_end(r);
}

/* ---- conditions, actions, transforms ---------------------------------------- */

static void jcondition(rctx *r, const gws_model_condition *c)
{
	static const char *const cfg_names[] = {"HostHeaderConfig",        "PathPatternConfig",
	                                        "HttpHeaderConfig",        "QueryStringConfig",
	                                        "HttpRequestMethodConfig", "SourceIpConfig"};
	size_t i;

	obj_begin(r);
	kstr(r, "Field", gws_model_condition_field_name(c->field));
	key(r, (size_t)c->field < GWS_ARRAY_SIZE(cfg_names) ? cfg_names[c->field] : "Config");
	obj_begin(r);
	if (c->field == GWS_MODEL_COND_HTTP_HEADER)
		kstr(r, "HttpHeaderName", c->http_header_name);
	if (c->field == GWS_MODEL_COND_QUERY_STRING) {
		key(r, "Values");
		arr_begin(r);
		for (i = 0; i < c->n_query_values; i++) {
			obj_begin(r);
			kopt(r, "Key", c->query_values[i].key);
			kstr(r, "Value", c->query_values[i].value);
			obj_end(r);
		}
		arr_end(r);
	} else {
		if (c->values.n || !c->regex_values.n) {
			key(r, "Values");
			jstrs(r, &c->values);
		}
		if (c->regex_values.n) {
			key(r, "RegexValues");
			jstrs(r, &c->regex_values);
		}
	}
	obj_end(r);
	obj_end(r);
}

static void jauth(rctx *r, const gws_model_authenticate_config *a, bool oidc)
{
	obj_begin(r);
	if (oidc) {
		kopt(r, "Issuer", a->issuer);
		kopt(r, "AuthorizationEndpoint", a->authorization_endpoint);
		kopt(r, "TokenEndpoint", a->token_endpoint);
		kopt(r, "UserInfoEndpoint", a->user_info_endpoint);
		/* The client id and secret stay in their Secret; only its name is shown. */
		kopt(r, "ClientSecretRef", a->client_secret_ref);
		if (a->use_existing_client_secret)
			kbool(r, "UseExistingClientSecret", true);
	} else {
		kopt(r, "UserPoolArn", a->user_pool_arn);
		kopt(r, "UserPoolClientId", a->user_pool_client_id);
		kopt(r, "UserPoolDomain", a->user_pool_domain);
	}
	kopt(r, "Scope", a->scope);
	kopt(r, "SessionCookieName", a->session_cookie_name);
	if (a->has_session_timeout)
		kint(r, "SessionTimeout", a->session_timeout);
	kopt(r, "OnUnauthenticatedRequest", a->on_unauthenticated_request);
	if (a->extra_params.n) {
		key(r, "AuthenticationRequestExtraParams");
		jkvs(r, &a->extra_params);
	}
	obj_end(r);
}

static void jaction(rctx *r, const gws_model_action *a)
{
	size_t i;

	obj_begin(r);
	kstr(r, "Type", gws_model_action_type_name(a->type));
	kint(r, "Order", a->order);
	if (a->forward) {
		key(r, "ForwardConfig");
		obj_begin(r);
		key(r, "TargetGroups");
		arr_begin(r);
		for (i = 0; i < a->forward->n_target_groups; i++) {
			const gws_model_tg_tuple *t = &a->forward->target_groups[i];
			obj_begin(r);
			kstr(r, "TargetGroupRef", t->target_group_id);
			if (t->has_weight)
				kint(r, "Weight", t->weight);
			obj_end(r);
		}
		arr_end(r);
		if (a->forward->has_stickiness) {
			key(r, "TargetGroupStickinessConfig");
			obj_begin(r);
			kbool(r, "Enabled", a->forward->stickiness_enabled);
			if (a->forward->has_stickiness_duration)
				kint(r, "DurationSeconds", a->forward->stickiness_duration_seconds);
			obj_end(r);
		}
		obj_end(r);
	}
	if (a->redirect) {
		key(r, "RedirectConfig");
		obj_begin(r);
		kopt(r, "Protocol", a->redirect->protocol);
		kopt(r, "Port", a->redirect->port);
		kopt(r, "Host", a->redirect->host);
		kopt(r, "Path", a->redirect->path);
		kopt(r, "Query", a->redirect->query);
		kopt(r, "StatusCode", a->redirect->status_code);
		obj_end(r);
	}
	if (a->fixed_response) {
		key(r, "FixedResponseConfig");
		obj_begin(r);
		kopt(r, "StatusCode", a->fixed_response->status_code);
		kopt(r, "ContentType", a->fixed_response->content_type);
		kopt(r, "MessageBody", a->fixed_response->message_body);
		obj_end(r);
	}
	if (a->authenticate_oidc) {
		key(r, "AuthenticateOidcConfig");
		jauth(r, a->authenticate_oidc, true);
	}
	if (a->authenticate_cognito) {
		key(r, "AuthenticateCognitoConfig");
		jauth(r, a->authenticate_cognito, false);
	}
	if (a->jwt_validation) {
		const gws_model_jwt_validation_config *jv = a->jwt_validation;
		key(r, "JwtValidationConfig");
		obj_begin(r);
		kopt(r, "JwksEndpoint", jv->jwks_endpoint);
		kopt(r, "Issuer", jv->issuer);
		if (jv->n_additional_claims) {
			key(r, "AdditionalClaims");
			arr_begin(r);
			for (i = 0; i < jv->n_additional_claims; i++) {
				const gws_model_jwt_claim *c = &jv->additional_claims[i];
				obj_begin(r);
				kopt(r, "Format", c->format);
				kopt(r, "Name", c->name);
				key(r, "Values");
				jstrs(r, &c->values);
				obj_end(r);
			}
			arr_end(r);
		}
		obj_end(r);
	}
	obj_end(r);
}

static void jactions(rctx *r, const gws_model_action *a, size_t n)
{
	size_t i;
	arr_begin(r);
	for (i = 0; i < n; i++)
		jaction(r, &a[i]);
	arr_end(r);
}

static void jtransform(rctx *r, const gws_model_transform *t)
{
	size_t i;
	obj_begin(r);
	kstr(r, "Type", gws_model_transform_type_name(t->type));
	key(r, t->type == GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE ? "HostHeaderRewriteConfig"
	                                                          : "UrlRewriteConfig");
	obj_begin(r);
	key(r, "Rewrites");
	arr_begin(r);
	for (i = 0; i < t->n_rewrites; i++) {
		obj_begin(r);
		kstr(r, "Regex", t->rewrites[i].regex);
		kstr(r, "Replace", t->rewrites[i].replace);
		obj_end(r);
	}
	arr_end(r);
	obj_end(r);
	obj_end(r);
}

/* ---- stack ---------------------------------------------------------------------- */

static void jsubnets(rctx *r, const gws_model_subnets *s)
{
	size_t i;
	obj_begin(r);
	switch (s->mode) {
	case GWS_MODEL_SUBNETS_DISCOVER:
		kstr(r, "mode", "discover");
		break;
	case GWS_MODEL_SUBNETS_EXPLICIT:
		kstr(r, "mode", "explicit");
		key(r, "subnets");
		arr_begin(r);
		for (i = 0; i < s->n_subnets; i++) {
			obj_begin(r);
			kstr(r, "identifier", s->subnets[i].identifier);
			kopt(r, "eipAllocation", s->subnets[i].eip_allocation);
			kopt(r, "privateIPv4Allocation", s->subnets[i].private_ipv4_allocation);
			kopt(r, "ipv6Allocation", s->subnets[i].ipv6_allocation);
			kopt(r, "sourceNatIPv6Prefix", s->subnets[i].source_nat_ipv6_prefix);
			obj_end(r);
		}
		arr_end(r);
		break;
	case GWS_MODEL_SUBNETS_SELECTOR:
		kstr(r, "mode", "selector");
		key(r, "selector");
		obj_begin(r);
		for (i = 0; i < s->n_selector; i++) {
			key(r, s->selector[i].key);
			jstrs(r, &s->selector[i].values);
		}
		obj_end(r);
		break;
	}
	obj_end(r);
}

static void jsgs(rctx *r, const gws_model_security_groups *sg)
{
	size_t i;
	obj_begin(r);
	switch (sg->mode) {
	case GWS_MODEL_SG_NONE:
		kstr(r, "mode", "none");
		break;
	case GWS_MODEL_SG_EXPLICIT:
		kstr(r, "mode", "explicit");
		key(r, "groups");
		jstrs(r, &sg->groups);
		kbool(r, "manageBackendSecurityGroupRules", sg->manage_backend_rules);
		break;
	case GWS_MODEL_SG_MANAGED:
		kstr(r, "mode", "managed");
		kstr(r, "id", sg->id);
		kstr(r, "name", sg->name);
		kstr(r, "description", sg->description);
		key(r, "ingress");
		arr_begin(r);
		for (i = 0; i < sg->n_ingress; i++) {
			const gws_model_sg_ingress *g = &sg->ingress[i];
			obj_begin(r);
			kstr(r, "IpProtocol", g->ip_protocol);
			kint(r, "FromPort", g->from_port);
			kint(r, "ToPort", g->to_port);
			kopt(r, "CidrIp", g->cidr_ipv4);
			kopt(r, "CidrIpv6", g->cidr_ipv6);
			kopt(r, "PrefixListId", g->prefix_list_id);
			obj_end(r);
		}
		arr_end(r);
		key(r, "tags");
		jkvs(r, &sg->tags);
		break;
	}
	obj_end(r);
}

static void jlb(rctx *r, const gws_model_load_balancer *lb)
{
	obj_begin(r);
	kstr(r, "id", lb->id);
	kstr(r, "name", lb->name);
	kstr(r, "type", gws_model_lb_type_name(lb->type));
	kstr(r, "scheme", lb->scheme);
	kstr(r, "ipAddressType", lb->ip_address_type);
	key(r, "subnets");
	jsubnets(r, &lb->subnets);
	key(r, "securityGroups");
	jsgs(r, &lb->security_groups);
	kopt(r, "customerOwnedIpv4Pool", lb->customer_owned_ipv4_pool);
	kopt(r, "ipv4IpamPoolId", lb->ipv4_ipam_pool_id);
	kopt(r, "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
	     lb->enforce_sg_inbound_rules_on_private_link);
	key(r, "attributes");
	jkvs(r, &lb->attributes);
	key(r, "tags");
	jkvs(r, &lb->tags);
	obj_end(r);
}

static void jrule(rctx *r, const gws_model_rule *rule)
{
	size_t i;
	obj_begin(r);
	kstr(r, "id", rule->id);
	kint(r, "priority", rule->priority);
	key(r, "conditions");
	arr_begin(r);
	for (i = 0; i < rule->n_conditions; i++)
		jcondition(r, &rule->conditions[i]);
	arr_end(r);
	key(r, "actions");
	jactions(r, rule->actions, rule->n_actions);
	key(r, "transforms");
	arr_begin(r);
	for (i = 0; i < rule->n_transforms; i++)
		jtransform(r, &rule->transforms[i]);
	arr_end(r);
	key(r, "tags");
	jkvs(r, &rule->tags);
	obj_end(r);
}

static void jlistener(rctx *r, const gws_model_listener *l)
{
	size_t i;
	obj_begin(r);
	kstr(r, "id", l->id);
	kint(r, "port", l->port);
	kstr(r, "protocol", l->protocol);
	key(r, "defaultActions");
	jactions(r, l->default_actions, l->n_default_actions);
	key(r, "certificates");
	jstrs(r, &l->certificates);
	if (l->n_cert_discovery_hosts) {
		gws_model_strs hosts = {(const char **)l->cert_discovery_hosts,
		                        l->n_cert_discovery_hosts};
		key(r, "certificateDiscoveryHostnames");
		jstrs(r, &hosts);
	}
	kstr(r, "sslPolicy", l->ssl_policy);
	kstr(r, "alpnPolicy", l->alpn_policy);
	key(r, "mutualAuthentication");
	if (l->mutual_auth) {
		obj_begin(r);
		kstr(r, "Mode", l->mutual_auth->mode);
		kopt(r, "TrustStore", l->mutual_auth->trust_store);
		if (l->mutual_auth->has_ignore_client_certificate_expiry)
			kbool(r, "IgnoreClientCertificateExpiry",
			      l->mutual_auth->ignore_client_certificate_expiry);
		kopt(r, "AdvertiseTrustStoreCaNames",
		     l->mutual_auth->advertise_trust_store_ca_names);
		obj_end(r);
	} else {
		vnull(r);
	}
	key(r, "attributes");
	jkvs(r, &l->attributes);
	key(r, "tags");
	jkvs(r, &l->tags);
	key(r, "rules");
	arr_begin(r);
	for (i = 0; i < l->n_rules; i++)
		jrule(r, l->rules[i]);
	arr_end(r);
	obj_end(r);
}

static void jtg(rctx *r, const gws_model_target_group *tg)
{
	const gws_model_health_check *h = &tg->health_check;
	obj_begin(r);
	kstr(r, "id", tg->id);
	kstr(r, "name", tg->name);
	kstr(r, "protocol", tg->protocol);
	kstr(r, "protocolVersion", tg->protocol_version);
	kint(r, "port", tg->port);
	kstr(r, "targetType", tg->target_type);
	kstr(r, "ipAddressType", tg->ip_address_type);
	if (tg->has_target_control_port)
		kint(r, "targetControlPort", tg->target_control_port);
	key(r, "healthCheck");
	obj_begin(r);
	kstr(r, "protocol", h->protocol);
	kstr(r, "port", h->port);
	kstr(r, "path", h->path);
	kstr(r, "httpCode", h->matcher_http_code);
	kstr(r, "grpcCode", h->matcher_grpc_code);
	kint(r, "intervalSeconds", h->interval_seconds);
	kint(r, "timeoutSeconds", h->timeout_seconds);
	kint(r, "healthyThresholdCount", h->healthy_threshold);
	kint(r, "unhealthyThresholdCount", h->unhealthy_threshold);
	obj_end(r);
	key(r, "attributes");
	jkvs(r, &tg->attributes);
	key(r, "tags");
	jkvs(r, &tg->tags);
	key(r, "backend");
	obj_begin(r);
	kstr(r, "kind", tg->backend.kind);
	kstr(r, "namespace", tg->backend.namespace_);
	kstr(r, "name", tg->backend.name);
	kint(r, "port", tg->backend.port);
	obj_end(r);
	obj_end(r);
}

static void jstack(rctx *r, const gws_model_stack *s)
{
	size_t i;
	obj_begin(r);
	kstr(r, "gateway", s->gateway);
	kopt(r, "blocked", s->blocked);
	key(r, "loadBalancer");
	jlb(r, &s->load_balancer);
	key(r, "listeners");
	arr_begin(r);
	for (i = 0; i < s->n_listeners; i++)
		jlistener(r, s->listeners[i]);
	arr_end(r);
	key(r, "targetGroups");
	arr_begin(r);
	for (i = 0; i < s->n_target_groups; i++)
		jtg(r, s->target_groups[i]);
	arr_end(r);
	obj_end(r);
}

/* ---- status ----------------------------------------------------------------------- */

static void jconds(rctx *r, const gws_model_conditions *c, const gws_manifest_object *obj)
{
	size_t i;
	arr_begin(r);
	for (i = 0; i < c->n; i++) {
		obj_begin(r);
		kstr(r, "type", c->items[i].type);
		kstr(r, "status", c->items[i].status);
		kstr(r, "reason", c->items[i].reason);
		kstr(r, "message", c->items[i].message ? c->items[i].message : "");
		if (obj && obj->meta.generation.set)
			kint(r, "observedGeneration", obj->meta.generation.value);
		obj_end(r);
	}
	arr_end(r);
}

/* Opens {"kind", "namespace", "name", "status": { ... — closed by jstatus_close. */
static void jstatus_open(rctx *r, const gws_manifest_object *obj)
{
	obj_begin(r);
	kstr(r, "kind", gws_manifest_kind_name(obj->kind));
	kopt(r, "namespace", obj->meta.namespace_);
	kstr(r, "name", obj->meta.name);
	key(r, "status");
	obj_begin(r);
}

static void jstatus_close(rctx *r)
{
	obj_end(r);
	obj_end(r);
}

static void jstatus(rctx *r, const gws_model *m)
{
	size_t i, j, k;

	obj_begin(r);
	key(r, "gatewayClasses");
	arr_begin(r);
	for (i = 0; i < gws_model_gateway_class_status_count(m); i++) {
		const gws_model_gateway_class_status *s = gws_model_gateway_class_status_at(m, i);
		jstatus_open(r, s->object);
		key(r, "conditions");
		jconds(r, &s->conditions, s->object);
		key(r, "supportedFeatures");
		arr_begin(r);
		for (j = 0; j < s->n_supported_features; j++) {
			obj_begin(r);
			kstr(r, "name", s->supported_features[j]);
			obj_end(r);
		}
		arr_end(r);
		jstatus_close(r);
	}
	arr_end(r);
	key(r, "gateways");
	arr_begin(r);
	for (i = 0; i < gws_model_gateway_status_count(m); i++) {
		const gws_model_gateway_status *s = gws_model_gateway_status_at(m, i);
		jstatus_open(r, s->object);
		key(r, "conditions");
		jconds(r, &s->conditions, s->object);
		key(r, "listeners");
		arr_begin(r);
		for (j = 0; j < s->n_listeners; j++) {
			const gws_model_listener_status *l = &s->listeners[j];
			obj_begin(r);
			kstr(r, "name", l->name);
			key(r, "supportedKinds");
			arr_begin(r);
			for (k = 0; k < l->n_supported_kinds; k++) {
				obj_begin(r);
				kstr(r, "group", l->supported_kinds[k].group);
				kstr(r, "kind", l->supported_kinds[k].kind);
				obj_end(r);
			}
			arr_end(r);
			kint(r, "attachedRoutes", l->attached_routes);
			key(r, "conditions");
			jconds(r, &l->conditions, s->object);
			obj_end(r);
		}
		arr_end(r);
		jstatus_close(r);
	}
	arr_end(r);
	key(r, "routes");
	arr_begin(r);
	for (i = 0; i < gws_model_route_status_count(m); i++) {
		const gws_model_route_status *s = gws_model_route_status_at(m, i);
		jstatus_open(r, s->object);
		key(r, "parents");
		arr_begin(r);
		for (j = 0; j < s->n_parents; j++) {
			const gws_model_route_parent_status *p = s->parents[j];
			obj_begin(r);
			key(r, "parentRef");
			obj_begin(r);
			kstr(r, "group", p->group);
			kstr(r, "kind", p->kind);
			kopt(r, "namespace", p->namespace_);
			kstr(r, "name", p->name);
			kopt(r, "sectionName", p->section_name);
			if (p->has_port)
				kint(r, "port", p->port);
			obj_end(r);
			kstr(r, "controllerName", p->controller_name);
			key(r, "conditions");
			jconds(r, &p->conditions, s->object);
			obj_end(r);
		}
		arr_end(r);
		jstatus_close(r);
	}
	arr_end(r);
	obj_end(r);
}

/* ---- diagnostics ------------------------------------------------------------------ */

static int diag_cmp(const void *a, const void *b)
{
	const gws_diag *x = *(const gws_diag *const *)a, *y = *(const gws_diag *const *)b;
	int c;
	if ((c = gws_strcmp_null(x->file, y->file)))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if ((c = gws_strcmp_null(x->object, y->object)))
		return c;
	if ((c = gws_strcmp_null(x->field, y->field)))
		return c;
	return gws_strcmp_null(x->message, y->message);
}

static void jdiags(rctx *r, const gws_diag_list *diags)
{
	const gws_diag **sorted = NULL;
	size_t i;

	arr_begin(r);
	if (diags && diags->count) {
		sorted = gws_calloc(diags->count, sizeof(*sorted));
		if (!sorted) {
			r->error = r->error ? r->error : GWS_ENOMEM;
			arr_end(r);
			return;
		}
		for (i = 0; i < diags->count; i++)
			sorted[i] = &diags->items[i];
		gws_qsort(sorted, diags->count, sizeof(*sorted), diag_cmp);
	}
	for (i = 0; sorted && i < diags->count; i++) {
		const gws_diag *d = sorted[i];
		if (i > 0 && diag_cmp(&sorted[i - 1], &sorted[i]) == 0)
			continue; /* exact duplicates say nothing new */
		obj_begin(r);
		kstr(r, "severity", d->severity == GWS_DIAG_ERROR ? "error" : "warning");
		kstr(r, "file", d->file);
		key(r, "line");
		if (d->line)
			vint(r, d->line);
		else
			vnull(r);
		key(r, "column");
		if (d->column)
			vint(r, d->column);
		else
			vnull(r);
		kstr(r, "object", d->object);
		kstr(r, "field", d->field);
		kstr(r, "message", d->message);
		obj_end(r);
	}
	arr_end(r);
	gws_free(sorted);
}

/* ---- stacks on several threads ---------------------------------------------- */

/*
 * Stacks are most of the document (85% of it at 10,000 routes) and each one
 * renders from the finished, read-only model alone. The stacks are cut into
 * parts (runs of consecutive stacks) dealt round-robin: this thread writes
 * its own parts straight to the sink, helper threads render theirs into
 * buffers that this thread then writes in order, so the bytes are exactly
 * the sequential writer's. Helpers stay at most LOOKAHEAD parts ahead of the
 * writer, which bounds the memory held in buffers.
 */
#define STACKS_PER_PART 4
#define LOOKAHEAD       8
#define MAX_HELPERS     3

typedef struct stack_job stack_job;

typedef struct {
	stack_job *job;
	size_t index; /* 1-based: this thread is 0 */
	pthread_t thread;
	bool started;
} stack_helper;

struct stack_job {
	const gws_model *model;
	size_t n_parts;
	size_t n_workers; /* helpers + this thread: part p belongs to worker p % n_workers */
	int depth;        /* of the stacks array's items */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	size_t written; /* parts written to the sink */
	/* Part p is rendered into bufs[p % LOOKAHEAD]: a helper starts part p only once
	 * part p - LOOKAHEAD is written, so the slot is free, and reusing it spares the
	 * page faults of fresh buffers. */
	gws_buf bufs[LOOKAHEAD];
	bool *done;
	int *errors;
	stack_helper helpers[MAX_HELPERS + 1];
};

static void render_part(rctx *r, const stack_job *j, size_t part)
{
	size_t end = (part + 1) * STACKS_PER_PART, n = gws_model_stack_count(j->model);

	for (size_t i = part * STACKS_PER_PART; i < end && i < n; i++)
		jstack(r, gws_model_stack_at(j->model, i));
}

/* Renders `part` into its buffer with the writer's state at that point of the array. */
static int render_part_buffered(rctx *r, stack_job *j, size_t part)
{
	if (!r)
		return GWS_ENOMEM;
	r->out = &j->bufs[part % LOOKAHEAD];
	r->n = 0;
	r->error = 0;
	r->after_key = false;
	r->depth = j->depth;
	r->first[r->depth] = part == 0;
	render_part(r, j, part);
	flush(r);
	return r->error;
}

static void *helper_main(void *arg)
{
	stack_helper *h = arg;
	stack_job *j = h->job;
	rctx *r = gws_calloc(1, sizeof(*r));

	if (r)
		init_stop(r);
	for (size_t part = h->index; part < j->n_parts; part += j->n_workers) {
		int error;
		pthread_mutex_lock(&j->lock);
		while (part >= j->written + LOOKAHEAD)
			pthread_cond_wait(&j->changed, &j->lock);
		pthread_mutex_unlock(&j->lock);
		error = render_part_buffered(r, j, part);
		pthread_mutex_lock(&j->lock);
		j->errors[part] = error;
		j->done[part] = true;
		pthread_cond_broadcast(&j->changed);
		pthread_mutex_unlock(&j->lock);
	}
	gws_free(r);
	return NULL;
}

/* Writes `part`: rendered here when it is this thread's (or its helper never started). */
static void write_part(rctx *r, stack_job *j, size_t part)
{
	const stack_helper *owner = &j->helpers[part % j->n_workers];

	if (owner->index == 0 || !owner->started) {
		render_part(r, j, part);
	} else {
		pthread_mutex_lock(&j->lock);
		while (!j->done[part])
			pthread_cond_wait(&j->changed, &j->lock);
		pthread_mutex_unlock(&j->lock);
		if (j->errors[part]) {
			r->error = r->error ? r->error : j->errors[part];
		} else if (j->bufs[part % LOOKAHEAD].size) {
			put(r, j->bufs[part % LOOKAHEAD].ptr, j->bufs[part % LOOKAHEAD].size);
			r->first[r->depth] = false;
		}
		gws_buf_clear(&j->bufs[part % LOOKAHEAD]);
	}
	pthread_mutex_lock(&j->lock);
	j->written = part + 1;
	pthread_cond_broadcast(&j->changed);
	pthread_mutex_unlock(&j->lock);
}

static size_t helper_count(size_t n_parts)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t requested = gws_threads_requested();
	size_t n = requested ? requested - 1 : cpus > 1 ? (size_t)cpus - 1 : 0;

	n = n < MAX_HELPERS ? n : MAX_HELPERS;
	if (n_parts < 2)
		return 0;
	return n < n_parts - 1 ? n : n_parts - 1;
}

static int stack_job_init(stack_job *j, const rctx *r, const gws_model *model)
{
	size_t n = gws_model_stack_count(model);

	memset(j, 0, sizeof(*j));
	j->model = model;
	j->n_parts = (n + STACKS_PER_PART - 1) / STACKS_PER_PART;
	j->n_workers = helper_count(j->n_parts) + 1;
	j->depth = r->depth;
	if (j->n_workers == 1)
		return 0;
	j->done = gws_calloc(j->n_parts, sizeof(*j->done));
	j->errors = gws_calloc(j->n_parts, sizeof(*j->errors));
	if (!j->done || !j->errors)
		return GWS_ENOMEM;
	for (size_t i = 0; i < LOOKAHEAD; i++)
		gws_buf_init(&j->bufs[i], SIZE_MAX / 2); /* the sink has no limit either */
	return 0;
}

static void stack_job_dispose(stack_job *j)
{
	for (size_t i = 0; i < LOOKAHEAD; i++)
		gws_buf_dispose(&j->bufs[i]);
	gws_free(j->done);
	gws_free(j->errors);
}

/*
 * Writes every stack, or returns < 0 before writing anything (one CPU, a
 * single part, no memory): the caller then writes them itself.
 */
static int jstacks_parallel(rctx *r, const gws_model *model)
{
	stack_job j;
	int error = stack_job_init(&j, r, model);

	if (error < 0 || j.n_workers == 1) {
		stack_job_dispose(&j);
		return -1;
	}
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.changed, NULL);
	for (size_t i = 1; i < j.n_workers; i++) {
		stack_helper *h = &j.helpers[i];
		h->job = &j;
		h->index = i;
		h->started = pthread_create(&h->thread, NULL, helper_main, h) == 0;
	}
	for (size_t part = 0; part < j.n_parts; part++)
		write_part(r, &j, part);
	for (size_t i = 1; i < j.n_workers; i++)
		if (j.helpers[i].started)
			pthread_join(j.helpers[i].thread, NULL);
	pthread_cond_destroy(&j.changed);
	pthread_mutex_destroy(&j.lock);
	stack_job_dispose(&j);
	return 0;
}

static int render(rctx *r, const gws_model *model, const gws_diag_list *diags)
{
	size_t i;

	obj_begin(r);
	kstr(r, "formatVersion", "1");
	kstr(r, "cluster", gws_model_cluster(model));
	key(r, "stacks");
	arr_begin(r);
	if (!r->sink || jstacks_parallel(r, model) < 0)
		for (i = 0; i < gws_model_stack_count(model); i++)
			jstack(r, gws_model_stack_at(model, i));
	arr_end(r);
	key(r, "status");
	jstatus(r, model);
	key(r, "diagnostics");
	jdiags(r, diags);
	obj_end(r);
	put(r, "\n", 1);
	flush(r);
	if (r->error)
		return r->error == GWS_ETOOBIG || r->error == GWS_ENOMEM || r->error == GWS_EIO
		               ? r->error
		               : gws_error_set(r->error, "rendering the model failed");
	return 0;
}

int gws_model_render_json(gws_buf *out, const gws_model *model, const gws_diag_list *diags)
{
	rctx *r = gws_calloc(1, sizeof(*r));
	int error;
	if (!r)
		return GWS_ENOMEM;
	r->out = out;
	init_stop(r);
	error = render(r, model, diags);
	gws_free(r);
	return error;
}

int gws_model_write_json(FILE *out, const gws_model *model, const gws_diag_list *diags)
{
	rctx *r = gws_calloc(1, sizeof(*r));
	int error;
	if (!r)
		return GWS_ENOMEM;
	r->sink = out;
	init_stop(r);
	error = render(r, model, diags);
	gws_free(r);
	return error;
}
