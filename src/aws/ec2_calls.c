/*
 * The EC2 typed calls. EC2's Query dialect flattens lists ("Filter.1.Value.2",
 * no ".member") under the members' locationNames, and answers with
 * lowerCamel elements, <item> list entries and no Result wrapper.
 */
#include <stdio.h>

#include "aws/call.h"

#define SVC "ec2"

/* Items per page of a describe without ids. Without MaxResults EC2 answers
 * with everything in one reply, which could exceed GWS_AWS_PAGE_REPLY_CAP; 200
 * of the largest items (a security group with every rule and tag the quotas
 * allow) stay well within it. */
#define EC2_PAGE_SIZE 200

/* Follows NextToken; asks for pages of EC2_PAGE_SIZE when no ids are given
 * (EC2 refuses MaxResults beside an id list, whose answer is short anyway). */
static gws_aws__op *paged(gws_aws__op *op, const gws_aws_strings *ids)
{
	if (op) {
		op->page_in = "NextToken";
		op->page_out = "nextToken";
		if (!ids || ids->count == 0)
			gws_aws__add_int(&op->query, "MaxResults", EC2_PAGE_SIZE);
	}
	return op;
}

/* A describe: its list (`list` of <item>s) streams into `out`, item by item. */
#define LIST_OP(action, arena, out, list, fn)                                                      \
	gws_aws__op_list(SVC, action, arena, out, list, "item", sizeof(*(out)->items), fn)

static void add_filters(gws_query *q, const gws_ec2_filters *filters)
{
	size_t i, j;

	for (i = 0; filters && i < filters->count; i++) {
		const gws_ec2_filter *f = &filters->items[i];
		gws_query_addf(q, f->name, "Filter.%zu.Name", i + 1);
		for (j = 0; j < f->values.count; j++)
			gws_query_addf(q, f->values.items[j], "Filter.%zu.Value.%zu", i + 1, j + 1);
	}
}

static int decode_tags(gws_arena *a, const xmlNode *n, gws_aws_kvs *out)
{
	return gws_xml_kvs(a, n, "tagSet", "item", "key", "value", out);
}

/* ---- VPCs and subnets ---------------------------------------------------------- */

static int decode_vpc(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_ec2_vpc *v = elem;
	int err = 0;

	v->vpc_id = gws_xml_text(a, n, "vpcId", &err);
	v->cidr_block = gws_xml_text(a, n, "cidrBlock", &err);
	v->state = gws_xml_text(a, n, "state", &err);
	v->is_default = gws_xml_bool(n, "isDefault");
	return err ? err : decode_tags(a, n, &v->tags);
}

int gws_ec2_describe_vpcs(gws_aws_client *c, gws_arena *arena, const gws_aws_strings *vpc_ids,
                          const gws_ec2_filters *filters, gws_ec2_vpcs *out)
{
	gws_aws__op *op = LIST_OP("DescribeVpcs", arena, out, "vpcSet", decode_vpc);

	if (op) {
		add_filters(&op->query, filters);
		gws_aws__add_strings(&op->query, "VpcId", vpc_ids);
	}
	return gws_aws__submit(c, paged(op, vpc_ids));
}

static int decode_subnet(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_ec2_subnet *s = elem;
	int err = 0;

	s->subnet_id = gws_xml_text(a, n, "subnetId", &err);
	s->vpc_id = gws_xml_text(a, n, "vpcId", &err);
	s->availability_zone = gws_xml_text(a, n, "availabilityZone", &err);
	s->availability_zone_id = gws_xml_text(a, n, "availabilityZoneId", &err);
	s->cidr_block = gws_xml_text(a, n, "cidrBlock", &err);
	s->state = gws_xml_text(a, n, "state", &err);
	s->map_public_ip_on_launch = gws_xml_bool(n, "mapPublicIpOnLaunch");
	return err ? err : decode_tags(a, n, &s->tags);
}

int gws_ec2_describe_subnets(gws_aws_client *c, gws_arena *arena, const gws_aws_strings *subnet_ids,
                             const gws_ec2_filters *filters, gws_ec2_subnets *out)
{
	gws_aws__op *op = LIST_OP("DescribeSubnets", arena, out, "subnetSet", decode_subnet);

	if (op) {
		add_filters(&op->query, filters);
		gws_aws__add_strings(&op->query, "SubnetId", subnet_ids);
	}
	return gws_aws__submit(c, paged(op, subnet_ids));
}

/* ---- security groups ----------------------------------------------------------- */

static int decode_peer_with(gws_arena *a, const xmlNode *n, void *elem, const char *id)
{
	gws_ec2_peer *p = elem;
	int err = 0;

	p->id = gws_xml_text(a, n, id, &err);
	p->description = gws_xml_text(a, n, "description", &err);
	return err;
}

static int decode_cidr(gws_arena *a, const xmlNode *n, void *elem)
{
	return decode_peer_with(a, n, elem, "cidrIp");
}

static int decode_cidr6(gws_arena *a, const xmlNode *n, void *elem)
{
	return decode_peer_with(a, n, elem, "cidrIpv6");
}

static int decode_group_pair(gws_arena *a, const xmlNode *n, void *elem)
{
	return decode_peer_with(a, n, elem, "groupId");
}

static int decode_prefix_list(gws_arena *a, const xmlNode *n, void *elem)
{
	return decode_peer_with(a, n, elem, "prefixListId");
}

static int decode_permission(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_ec2_ip_permission *p = elem;
	int err = 0, rc;

	p->ip_protocol = gws_xml_text(a, n, "ipProtocol", &err);
	p->has_ports = gws_xml_child(n, "fromPort") != NULL;
	gws_xml_int(n, "fromPort", &p->from_port, &err);
	gws_xml_int(n, "toPort", &p->to_port, &err);
	if (err)
		return err;
	if ((rc = gws_xml_list(a, n, "ipRanges", "item", sizeof(gws_ec2_peer), decode_cidr,
	                       (void **)&p->ip_ranges, &p->ip_range_count)) < 0 ||
	    (rc = gws_xml_list(a, n, "ipv6Ranges", "item", sizeof(gws_ec2_peer), decode_cidr6,
	                       (void **)&p->ipv6_ranges, &p->ipv6_range_count)) < 0 ||
	    (rc = gws_xml_list(a, n, "groups", "item", sizeof(gws_ec2_peer), decode_group_pair,
	                       (void **)&p->groups, &p->group_count)) < 0)
		return rc;
	return gws_xml_list(a, n, "prefixListIds", "item", sizeof(gws_ec2_peer), decode_prefix_list,
	                    (void **)&p->prefix_lists, &p->prefix_list_count);
}

static int decode_group(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_ec2_security_group *g = elem;
	int err = 0, rc;

	g->group_id = gws_xml_text(a, n, "groupId", &err);
	g->group_name = gws_xml_text(a, n, "groupName", &err);
	g->description = gws_xml_text(a, n, "groupDescription", &err);
	g->vpc_id = gws_xml_text(a, n, "vpcId", &err);
	g->owner_id = gws_xml_text(a, n, "ownerId", &err);
	if (err)
		return err;
	if ((rc = gws_xml_list(a, n, "ipPermissions", "item", sizeof(gws_ec2_ip_permission),
	                       decode_permission, (void **)&g->ingress.items, &g->ingress.count)) <
	    0)
		return rc;
	return decode_tags(a, n, &g->tags);
}

int gws_ec2_describe_security_groups(gws_aws_client *c, gws_arena *arena,
                                     const gws_aws_strings *group_ids,
                                     const gws_ec2_filters *filters, gws_ec2_security_groups *out)
{
	gws_aws__op *op =
	        LIST_OP("DescribeSecurityGroups", arena, out, "securityGroupInfo", decode_group);

	if (op) {
		gws_aws__add_strings(&op->query, "GroupId", group_ids);
		add_filters(&op->query, filters);
	}
	return gws_aws__submit(c, paged(op, group_ids));
}

static int decode_group_id(gws_aws__op *op, const xmlNode *r)
{
	int err = 0;
	const char **id = op->out;

	*id = gws_xml_text(op->arena, r, "groupId", &err);
	if (!err && !*id)
		err = gws_error_set(GWS_EREMOTE, "CreateSecurityGroup answered without a groupId");
	return err;
}

int gws_ec2_create_security_group(gws_aws_client *c, gws_arena *arena, const char *group_name,
                                  const char *description, const char *vpc_id,
                                  const gws_aws_kvs *tags, const char **group_id)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "CreateSecurityGroup", true, arena, (void *)group_id,
	                                  sizeof(*group_id), decode_group_id);

	if (op) {
		gws_query_add(&op->query, "GroupDescription", description);
		gws_query_add(&op->query, "GroupName", group_name);
		gws_query_add(&op->query, "VpcId", vpc_id);
		if (tags && tags->count) {
			gws_query_add(&op->query, "TagSpecification.1.ResourceType",
			              "security-group");
			gws_aws__add_kvs(&op->query, "TagSpecification.1.Tag", "Key", "Value",
			                 tags);
		}
	}
	return gws_aws__submit(c, op);
}

int gws_ec2_delete_security_group(gws_aws_client *c, const char *group_id)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "DeleteSecurityGroup", true, NULL, NULL, 0, NULL);

	if (op)
		gws_query_add(&op->query, "GroupId", group_id);
	return gws_aws__submit(c, op);
}

static void add_peers(gws_query *q, const char *p, const char *list, const char *id,
                      const gws_ec2_peer *peers, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		gws_query_addf(q, peers[i].id, "%s.%s.%zu.%s", p, list, i + 1, id);
		gws_query_addf(q, peers[i].description, "%s.%s.%zu.Description", p, list, i + 1);
	}
}

static void add_permissions(gws_query *q, const gws_ec2_ip_permissions *perms)
{
	char p[64];
	size_t i;

	for (i = 0; perms && i < perms->count; i++) {
		const gws_ec2_ip_permission *ip = &perms->items[i];
		snprintf(p, sizeof(p), "IpPermissions.%zu", i + 1);
		gws_query_addf(q, ip->ip_protocol, "%s.IpProtocol", p);
		if (ip->has_ports) {
			char v[16];
			snprintf(v, sizeof(v), "%d", ip->from_port);
			gws_query_addf(q, v, "%s.FromPort", p);
			snprintf(v, sizeof(v), "%d", ip->to_port);
			gws_query_addf(q, v, "%s.ToPort", p);
		}
		add_peers(q, p, "Groups", "GroupId", ip->groups, ip->group_count);
		add_peers(q, p, "IpRanges", "CidrIp", ip->ip_ranges, ip->ip_range_count);
		add_peers(q, p, "Ipv6Ranges", "CidrIpv6", ip->ipv6_ranges, ip->ipv6_range_count);
		add_peers(q, p, "PrefixListIds", "PrefixListId", ip->prefix_lists,
		          ip->prefix_list_count);
	}
}

static int ingress_call(gws_aws_client *c, const char *action, const char *group_id,
                        const gws_ec2_ip_permissions *permissions)
{
	gws_aws__op *op = gws_aws__op_new(SVC, action, true, NULL, NULL, 0, NULL);

	if (op) {
		gws_query_add(&op->query, "GroupId", group_id);
		add_permissions(&op->query, permissions);
	}
	return gws_aws__submit(c, op);
}

int gws_ec2_authorize_security_group_ingress(gws_aws_client *c, const char *group_id,
                                             const gws_ec2_ip_permissions *permissions)
{
	return ingress_call(c, "AuthorizeSecurityGroupIngress", group_id, permissions);
}

int gws_ec2_revoke_security_group_ingress(gws_aws_client *c, const char *group_id,
                                          const gws_ec2_ip_permissions *permissions)
{
	return ingress_call(c, "RevokeSecurityGroupIngress", group_id, permissions);
}

/* ---- tags ---------------------------------------------------------------------- */

static int tags_call(gws_aws_client *c, const char *action, const gws_aws_strings *ids,
                     const gws_aws_kvs *tags)
{
	gws_aws__op *op = gws_aws__op_new(SVC, action, true, NULL, NULL, 0, NULL);

	if (op) {
		gws_aws__add_strings(&op->query, "ResourceId", ids);
		gws_aws__add_kvs(&op->query, "Tag", "Key", "Value", tags);
	}
	return gws_aws__submit(c, op);
}

int gws_ec2_create_tags(gws_aws_client *c, const gws_aws_strings *resource_ids,
                        const gws_aws_kvs *tags)
{
	return tags_call(c, "CreateTags", resource_ids, tags);
}

int gws_ec2_delete_tags(gws_aws_client *c, const gws_aws_strings *resource_ids,
                        const gws_aws_kvs *tags)
{
	return tags_call(c, "DeleteTags", resource_ids, tags);
}
