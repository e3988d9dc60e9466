/**
 * One test per plugin bundled with Kong 3.9 OSS (kong/constants.lua BUNDLED_PLUGINS): a write of the
 * minimal config (only the fields without defaults) comes back with Kong's defaults. Every expected
 * value below was read from `kong/plugins/<name>/schema.lua` at Kong/kong 3.9.3 (and
 * kong/db/schema/typedefs.lua, kong/tools/redis/schema.lua, kong/tools/queue_schema.lua where the
 * schema points there); the test does not read the generated data.
 */
import { describe, expect, it } from 'vitest';
import { bundledPlugins } from '../../tools/kong-sim/kong-schema.ts';
import { sim } from './helpers.ts';

const HTTP = ['grpc', 'grpcs', 'http', 'https'];
/** kong/tools/queue_schema.lua defaults, as plugins that log through a queue get them. */
const QUEUE = {
  max_batch_size: 1,
  max_coalescing_delay: 1,
  max_entries: 10000,
  max_bytes: null,
  max_retry_time: 60,
  initial_retry_delay: 0.01,
  max_retry_delay: 60,
  concurrency_limit: 1,
};
/** kong/tools/redis/schema.lua `config_schema` as rate-limiting / response-ratelimiting embed it. */
const REDIS = {
  host: null,
  port: 6379,
  timeout: 2000,
  username: null,
  password: null,
  database: 0,
  ssl: false,
  ssl_verify: false,
  server_name: null,
};

interface Case {
  /** the fields without a default: what a minimal write must carry */
  config: Record<string, unknown>;
  /** defaults from the plugin's schema.lua (a subset, matched with toMatchObject) */
  defaults: Record<string, unknown>;
  protocols?: string[];
}

const CASES: Record<string, Case> = {
  acl: {
    config: { allow: ['gold'] },
    defaults: { deny: null, hide_groups_header: false, always_use_authenticated_groups: false },
  },
  acme: {
    config: { account_email: 'ops@example.com' },
    defaults: {
      api_uri: 'https://acme-v02.api.letsencrypt.org/directory',
      tos_accepted: false,
      cert_type: 'rsa',
      rsa_key_size: 4096,
      renew_threshold_days: 14,
      allow_any_domain: false,
      fail_backoff_minutes: 5,
      storage: 'shm',
      enable_ipv4_common_name: true,
      storage_config: expect.objectContaining({ shm: { shm_name: 'kong' }, kong: {} }),
    },
  },
  'ai-prompt-decorator': {
    config: { prompts: { prepend: [{ role: 'system', content: 'Be brief.' }] } },
    defaults: {
      max_request_body_size: 8192,
      llm_format: 'openai',
      prompts: expect.objectContaining({ append: null }),
    },
  },
  'ai-prompt-guard': {
    config: { allow_patterns: ['.*'] },
    defaults: {
      deny_patterns: null,
      allow_all_conversation_history: false,
      max_request_body_size: 8192,
      match_all_roles: false,
      llm_format: 'openai',
    },
  },
  'ai-prompt-template': {
    config: { templates: [{ name: 't', template: 'Hello {{name}}' }] },
    defaults: { allow_untemplated_requests: true, log_original_request: false, max_request_body_size: 8192 },
  },
  'ai-proxy': {
    config: { route_type: 'llm/v1/chat', model: { provider: 'openai' } },
    defaults: {
      response_streaming: 'allow',
      max_request_body_size: 8192,
      model_name_header: true,
      llm_format: 'openai',
      auth: null,
      logging: { log_statistics: false, log_payloads: false },
      model: { provider: 'openai', name: null, options: null },
    },
  },
  'ai-request-transformer': {
    config: { prompt: 'p', llm: { route_type: 'llm/v1/chat', model: { provider: 'openai' } } },
    defaults: { http_timeout: 60000, https_verify: true, max_request_body_size: 8192, http_proxy_host: null },
  },
  'ai-response-transformer': {
    config: { prompt: 'p', llm: { route_type: 'llm/v1/chat', model: { provider: 'openai' } } },
    defaults: {
      parse_llm_response_json_instructions: false,
      http_timeout: 60000,
      https_verify: true,
      max_request_body_size: 8192,
    },
  },
  'aws-lambda': {
    config: {},
    defaults: {
      timeout: 60000,
      keepalive: 60000,
      aws_role_session_name: 'kong',
      invocation_type: 'RequestResponse',
      log_type: 'Tail',
      port: 443,
      disable_https: false,
      forward_request_body: false,
      is_proxy_integration: false,
      skip_large_bodies: true,
      base64_encode_body: true,
      aws_imds_protocol_version: 'v1',
      empty_arrays_mode: 'legacy',
      aws_key: null,
    },
  },
  'azure-functions': {
    config: { appname: 'app', functionname: 'fn' },
    defaults: {
      timeout: 600000,
      keepalive: 60000,
      https: true,
      https_verify: false,
      hostdomain: 'azurewebsites.net',
      routeprefix: 'api',
      apikey: null,
    },
  },
  'basic-auth': { config: {}, defaults: { anonymous: null, hide_credentials: false, realm: 'service' } },
  'bot-detection': { config: {}, defaults: { allow: [], deny: [] } },
  'correlation-id': {
    config: {},
    defaults: { header_name: 'Kong-Request-ID', generator: 'uuid#counter', echo_downstream: false },
  },
  cors: {
    config: {},
    defaults: {
      origins: null,
      headers: null,
      exposed_headers: null,
      methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'],
      max_age: null,
      credentials: false,
      private_network: false,
      preflight_continue: false,
    },
  },
  datadog: {
    config: {},
    defaults: {
      host: 'localhost',
      port: 8125,
      prefix: 'kong',
      service_name_tag: 'name',
      status_tag: 'status',
      consumer_tag: 'consumer',
      queue: QUEUE,
      metrics: expect.arrayContaining([
        {
          name: 'request_count',
          stat_type: 'counter',
          sample_rate: 1,
          tags: ['app:kong'],
          consumer_identifier: 'custom_id',
        },
      ]),
    },
  },
  'file-log': { config: { path: '/tmp/kong.log' }, defaults: { reopen: false, custom_fields_by_lua: null } },
  'grpc-gateway': { config: {}, defaults: { proto: null } },
  'grpc-web': { config: {}, defaults: { proto: null, pass_stripped_path: null, allow_origin_header: '*' } },
  'hmac-auth': {
    config: {},
    defaults: {
      hide_credentials: false,
      clock_skew: 300,
      anonymous: null,
      validate_request_body: false,
      enforce_headers: [],
      algorithms: ['hmac-sha1', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'],
      realm: null,
    },
  },
  'http-log': {
    config: { http_endpoint: 'http://logs.example.com/' },
    defaults: {
      method: 'POST',
      content_type: 'application/json',
      timeout: 10000,
      keepalive: 60000,
      headers: null,
      queue: QUEUE,
    },
  },
  'ip-restriction': {
    config: { allow: ['10.0.0.0/8'] },
    defaults: { deny: null, status: null, message: null },
    // typedefs.protocols { default = { "http", "https", "tcp", "tls", "grpc", "grpcs" } }
    protocols: ['http', 'https', 'tcp', 'tls', 'grpc', 'grpcs'],
  },
  jwt: {
    config: {},
    defaults: {
      uri_param_names: ['jwt'],
      cookie_names: [],
      key_claim_name: 'iss',
      secret_is_base64: false,
      claims_to_verify: null,
      run_on_preflight: true,
      maximum_expiration: 0,
      header_names: ['authorization'],
    },
  },
  'key-auth': {
    config: {},
    defaults: {
      key_names: ['apikey'],
      hide_credentials: false,
      anonymous: null,
      key_in_header: true,
      key_in_query: true,
      key_in_body: false,
      run_on_preflight: true,
      realm: null,
    },
  },
  'ldap-auth': {
    config: { ldap_host: 'ldap.example.com', base_dn: 'dc=example,dc=com', attribute: 'cn' },
    defaults: {
      ldap_port: 389,
      ldaps: false,
      start_tls: false,
      verify_ldap_host: false,
      cache_ttl: 60,
      hide_credentials: false,
      timeout: 10000,
      keepalive: 60000,
      header_type: 'ldap',
    },
  },
  loggly: {
    config: { key: 'k' },
    defaults: {
      host: 'logs-01.loggly.com',
      port: 514,
      tags: ['kong'],
      log_level: 'info',
      successful_severity: 'info',
      client_errors_severity: 'info',
      server_errors_severity: 'info',
      timeout: 10000,
    },
  },
  oauth2: {
    config: { provision_key: 'pk', enable_client_credentials: true },
    defaults: {
      mandatory_scope: false,
      token_expiration: 7200,
      enable_authorization_code: false,
      enable_implicit_grant: false,
      enable_password_grant: false,
      hide_credentials: false,
      accept_http_if_already_terminated: false,
      global_credentials: false,
      auth_header_name: 'authorization',
      refresh_token_ttl: 1209600,
      reuse_refresh_token: false,
      pkce: 'lax',
    },
  },
  opentelemetry: {
    config: { traces_endpoint: 'http://otel.example.com:4318/v1/traces' },
    defaults: {
      logs_endpoint: null,
      connect_timeout: 1000,
      send_timeout: 5000,
      read_timeout: 5000,
      header_type: 'preserve',
      sampling_rate: null,
      queue: expect.objectContaining({ max_batch_size: 200 }),
      propagation: expect.objectContaining({ default_format: 'w3c' }),
    },
  },
  'post-function': {
    config: { access: ['return'] },
    defaults: { certificate: [], rewrite: [], header_filter: [], body_filter: [], log: [] },
  },
  'pre-function': {
    config: { access: ['return'] },
    defaults: { certificate: [], rewrite: [], header_filter: [], body_filter: [], log: [] },
  },
  prometheus: {
    config: {},
    defaults: {
      per_consumer: false,
      status_code_metrics: false,
      ai_metrics: false,
      latency_metrics: false,
      bandwidth_metrics: false,
      upstream_health_metrics: false,
    },
  },
  'proxy-cache': {
    config: { strategy: 'memory' },
    defaults: {
      response_code: [200, 301, 404],
      request_method: ['GET', 'HEAD'],
      content_type: ['text/plain', 'application/json'],
      cache_ttl: 300,
      cache_control: false,
      ignore_uri_case: false,
      storage_ttl: null,
      memory: { dictionary_name: 'kong_db_cache' },
    },
  },
  'rate-limiting': {
    config: { minute: 5 },
    defaults: {
      second: null,
      hour: null,
      limit_by: 'consumer',
      policy: 'local',
      fault_tolerant: true,
      hide_client_headers: false,
      error_code: 429,
      error_message: 'API rate limit exceeded',
      sync_rate: -1,
      redis: REDIS,
    },
  },
  redirect: {
    config: { location: 'https://example.com' },
    defaults: { status_code: 301, keep_incoming_path: false },
  },
  'request-size-limiting': {
    config: {},
    defaults: { allowed_payload_size: 128, size_unit: 'megabytes', require_content_length: false },
  },
  'request-termination': {
    config: {},
    defaults: { status_code: 503, message: null, content_type: null, body: null, echo: false, trigger: null },
  },
  'request-transformer': {
    config: {},
    defaults: {
      http_method: null,
      remove: { body: [], headers: [], querystring: [] },
      rename: { body: [], headers: [], querystring: [] },
      replace: { body: [], headers: [], querystring: [], uri: null },
      add: { body: [], headers: [], querystring: [] },
      append: { body: [], headers: [], querystring: [] },
    },
  },
  'response-ratelimiting': {
    config: { limits: { video: { minute: 10 } } },
    defaults: {
      header_name: 'x-kong-limit',
      limit_by: 'consumer',
      policy: 'local',
      fault_tolerant: true,
      block_on_first_violation: false,
      hide_client_headers: false,
      redis: REDIS,
    },
  },
  'response-transformer': {
    config: {},
    defaults: {
      remove: { json: [], headers: [] },
      rename: { json: [], headers: [] },
      replace: { json: [], json_types: [], headers: [] },
      add: { json: [], json_types: [], headers: [] },
      append: { json: [], json_types: [], headers: [] },
    },
  },
  session: {
    config: {},
    defaults: {
      // random_string() at schema load: 44 characters per node
      secret: expect.stringMatching(/^[A-Za-z0-9]{44}$/),
      storage: 'cookie',
      audience: 'default',
      idling_timeout: 900,
      rolling_timeout: 3600,
      absolute_timeout: 86400,
      stale_ttl: 10,
      cookie_name: 'session',
      cookie_path: '/',
      cookie_same_site: 'Strict',
      cookie_http_only: true,
      cookie_secure: true,
      remember: false,
      logout_methods: ['POST', 'DELETE'],
      logout_query_arg: 'session_logout',
    },
  },
  'standard-webhooks': { config: { secret_v1: 's' }, defaults: { tolerance_second: 300 } },
  statsd: {
    config: {},
    defaults: {
      host: 'localhost',
      port: 8125,
      prefix: 'kong',
      queue: QUEUE,
      metrics: expect.arrayContaining([
        expect.objectContaining({ name: 'request_count', sample_rate: 1, stat_type: 'counter' }),
        // a default array's records are completed on read (process_auto_fields "select")
        expect.objectContaining({ name: 'latency', stat_type: 'timer', sample_rate: null }),
      ]),
    },
  },
  syslog: {
    config: {},
    defaults: {
      log_level: 'info',
      successful_severity: 'info',
      client_errors_severity: 'info',
      server_errors_severity: 'info',
      facility: 'user',
    },
  },
  'tcp-log': {
    config: { host: 'logs.example.com', port: 5000 },
    defaults: { timeout: 10000, keepalive: 60000, tls: false, tls_sni: null },
  },
  'udp-log': { config: { host: 'logs.example.com', port: 5000 }, defaults: { timeout: 10000 } },
  zipkin: {
    config: {},
    defaults: {
      local_service_name: 'kong',
      http_endpoint: null,
      sample_ratio: 0.001,
      include_credential: true,
      traceid_byte_count: 16,
      header_type: 'preserve',
      default_header_type: 'b3',
      tags_header: 'Zipkin-Tags',
      http_span_name: 'method',
      connect_timeout: 2000,
      send_timeout: 5000,
      read_timeout: 5000,
      phase_duration_flavor: 'annotations',
      propagation: expect.objectContaining({ default_format: 'b3' }),
    },
  },
};

describe('kong-sim plugin defaults (kong/plugins/<name>/schema.lua, Kong 3.9.3)', () => {
  it('covers every bundled plugin of kong/constants.lua', () => {
    expect(Object.keys(CASES).sort()).toEqual([...bundledPlugins()].sort());
    expect(bundledPlugins()).toHaveLength(45);
  });

  it.each(Object.keys(CASES))('%s: a minimal write gets the schema defaults', async (name) => {
    const c = CASES[name]!;
    const k = await sim();
    const created = await k.call('POST', '/plugins', { name, config: c.config });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.config).toMatchObject({ ...c.config, ...c.defaults });
    expect(created.body.protocols).toEqual(c.protocols ?? HTTP);
    expect(created.body.enabled).toBe(true);
    // what the write answered is what reads show
    expect((await k.call('GET', `/plugins/${created.body.id}`)).body).toEqual(created.body);
  });
});
