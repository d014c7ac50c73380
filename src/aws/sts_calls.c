/* The STS typed calls (signed). AssumeRoleWithWebIdentity is the credential
 * provider's own unsigned call (cred_sts.c). */

#include "aws/call.h"

static int decode_identity(gws_aws__op *op, const xmlNode *r)
{
	gws_sts_caller_identity *id = op->out;
	int err = 0;

	id->arn = gws_xml_text(op->arena, r, "Arn", &err);
	id->user_id = gws_xml_text(op->arena, r, "UserId", &err);
	id->account = gws_xml_text(op->arena, r, "Account", &err);
	if (!err && !id->account)
		err = gws_error_set(GWS_EREMOTE, "GetCallerIdentity answered without an Account");
	return err;
}

int gws_sts_get_caller_identity(gws_aws_client *c, gws_arena *arena, gws_sts_caller_identity *out)
{
	return gws_aws__submit(c, gws_aws__op_new("sts", "GetCallerIdentity", false, arena, out,
	                                          sizeof(*out), decode_identity));
}
