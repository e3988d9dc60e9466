/**
 * VPC links of REST APIs (CreateVpcLink … DeleteVpcLink, API reference "VpcLink"): account-level, keyed by an
 * id the service assigns; a name and one network load balancer ARN (`targetArns`) each. Rules that decide a
 * restore's order: an integration of `connectionType: VPC_LINK` needs its link to exist (PutIntegration, in
 * http-restapis.ts), and a link an integration goes through — or a deployment a stage serves was made
 * with — cannot be deleted.
 */
import { badRequest, notFound } from './errors.ts';
import { page } from './pagination.ts';
import { applyPatch } from './patch.ts';
import { accepted, type Call, ok, type Router } from './router.ts';
import { VPC_LINK } from './schemas.ts';
import type { Json } from './store.ts';

function linkOf(call: Call): Json {
  const l = call.store.vpcLinks.get(call.params.vpcLinkId as string);
  if (!l) throw notFound('Invalid VPC link identifier specified');
  return l;
}

/**
 * What still goes through the link: an integration of the API as it is, or a deployment a stage serves
 * that was made while one did ("How do I delete a VPC link for my API Gateway REST API?", AWS Knowledge
 * Center: switch the integration away from the link and, for a deployed API, redeploy to the same stage;
 * the error is "Cannot delete vpc link referenced in format of [Method:Resource]").
 */
function usedBy(call: Call, id: string): string | null {
  for (const api of call.store.restApis.values()) {
    for (const r of api.resources.values())
      for (const [verb, m] of r.methods)
        if (m.integration?.fields.connectionType === 'VPC_LINK' && m.integration.fields.connectionId === id)
          return `[${verb}:${call.store.pathOf(api, r)}] of REST API ${String(api.fields.id)}`;
    for (const [name, s] of api.stages)
      if (call.store.deploymentLinks.get(String(s.deploymentId))?.has(id))
        return `the deployment stage ${name} of REST API ${String(api.fields.id)} serves`;
  }
  return null;
}

export function registerVpcLinks(router: Router): void {
  router
    .add('POST', '/vpclinks', (call) => {
      const { name, targetArns, description, tags } = call.body;
      if (typeof name !== 'string' || name.length === 0) throw badRequest('VPC link name must be specified');
      if (!Array.isArray(targetArns) || targetArns.length !== 1 || typeof targetArns[0] !== 'string') {
        throw badRequest('targetArns must name exactly one network load balancer ARN');
      }
      const link: Json = {
        id: call.store.ids.id(),
        name,
        targetArns,
        status: 'AVAILABLE',
        ...(typeof description === 'string' ? { description } : {}),
        ...(tags ? { tags } : {}),
      };
      call.store.vpcLinks.set(link.id as string, link);
      // CreateVpcLink answers 202 Accepted (the link becomes AVAILABLE later on AWS)
      return { status: 202, body: link };
    })
    .add('GET', '/vpclinks', (call) => ok(page([...call.store.vpcLinks.values()], call.query)))
    .add('GET', '/vpclinks/{vpcLinkId}', (call) => ok(linkOf(call)))
    .add('PATCH', '/vpclinks/{vpcLinkId}', (call) => {
      const next = applyPatch(linkOf(call), call.body.patchOperations, VPC_LINK);
      call.store.vpcLinks.set(next.id as string, next);
      return ok(next);
    })
    .add('DELETE', '/vpclinks/{vpcLinkId}', (call) => {
      const link = linkOf(call);
      const user = usedBy(call, link.id as string);
      if (user) throw badRequest(`Cannot delete vpc link referenced in format of [Method:Resource]: ${user}`);
      call.store.vpcLinks.delete(link.id as string);
      return accepted();
    });
}
