/**
 * AWS API Gateway (REST APIs, service version 2015-07-09) kinds and sections: names only, so the shared
 * types can name them without loading the definitions.
 */

/** AWS API Gateway's kinds, in catalogue order (account-level kinds after the API's own). */
export const AWS_KINDS = [
  'restapis',
  'resources',
  'models',
  'request_validators',
  'authorizers',
  'gateway_responses',
  'methods',
  'method_responses',
  'integrations',
  'integration_responses',
  'documentation_parts',
  'documentation_versions',
  'stages',
  'api_keys',
  'usage_plans',
  'usage_plan_keys',
  'domain_names',
  'base_path_mappings',
  'vpc_links',
  'client_certificates',
] as const;
export type AwsKind = (typeof AWS_KINDS)[number];

/**
 * What `--only` names on an AWS connection: `apis` (each REST API with its resource tree, methods,
 * integrations, models, validators, authorizers, gateway responses and documentation parts and versions), `stages`, `usage_plans` (with their
 * keys), `api_keys`, `domain_names` (with their base path mappings), `vpc_links` (the VPC links integrations
 * reach private backends through), `client_certificates` (the certificates stages present to backends).
 */
export const AWS_SECTIONS = [
  'apis',
  'stages',
  'usage_plans',
  'api_keys',
  'domain_names',
  'vpc_links',
  'client_certificates',
] as const;
export type AwsSection = (typeof AWS_SECTIONS)[number];
