import { describe, expect, it } from 'vitest';
import { DeckFileError, fromDeckFile } from '../../../src/core/index.ts';

/** Each bad file, the words the message must contain, and where it must point. */
/** Built from parts so the linter does not mistake decK's `${{ … }}` for a JS template placeholder. */
const DECK_TEMPLATE = ['$', '{{ env "DECK_HOST" }}'].join('');

const CASES: { name: string; text: string; message: string; path?: string; line?: number }[] = [
  {
    name: 'missing _format_version',
    text: 'services:\n  - name: a\n    host: a.internal\n',
    message: 'missing _format_version',
  },
  {
    name: 'a _format_version Kong does not know (kong/db/schema/others/declarative_config.lua one_of)',
    text: '# comment\n_format_version: "foobar"\nservices: []\n',
    message: 'unsupported _format_version "foobar": Kong 3.x takes "1.1", "2.1", "3.0"',
    path: '_format_version',
    line: 2,
  },
  {
    name: 'unquoted numeric _format_version (Kong: expected a string)',
    text: '_format_version: 3.0\n',
    message: '_format_version must be a string',
    path: '_format_version',
    line: 1,
  },
  {
    name: 'unrendered decK env template',
    text: `_format_version: "3.0"\nservices:\n  - name: a\n    host: ${DECK_TEMPLATE}\n`,
    message: `unrendered template ${DECK_TEMPLATE}`,
    line: 4,
  },
  {
    name: 'unknown key on a nested route',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    host: a.internal\n    routes:\n      - name: r\n        pathz: [/x]\n',
    message: 'unknown key "pathz" in routes entry',
    path: 'services[0].routes[0].pathz',
    line: 7,
  },
  {
    name: 'unknown top-level key',
    text: '_format_version: "3.0"\nservice:\n  - name: a\n',
    message: 'unknown top-level key "service"',
    path: 'service',
    line: 2,
  },
  {
    name: 'unknown key in a consumer credential',
    text: '_format_version: "3.0"\nconsumers:\n  - username: a\n    keyauth_credentials:\n      - key: k\n        secret: s\n',
    message: 'unknown key "secret" in keyauth_credentials entry',
    path: 'consumers[0].keyauth_credentials[0].secret',
    line: 6,
  },
  {
    name: 'unknown key in _info',
    text: '_format_version: "3.0"\n_info:\n  select_tag: [a]\n',
    message: 'unknown key "select_tag" in _info',
    line: 3,
  },
  {
    name: 'decK entities snapgate does not back up',
    text: '_format_version: "3.0"\nrbac_roles:\n  - name: admin\n',
    message: '"rbac_roles" is not supported',
    line: 2,
  },
  {
    name: 'plugin naming a service that is not in the file',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    host: a.internal\nplugins:\n  - name: cors\n    service: b\n',
    message: 'dangling reference: service "b" of a plugins entry names no services',
    path: 'plugins[0].service',
    line: 7,
  },
  {
    name: 'top-level route naming a missing service by name',
    text: '_format_version: "3.0"\nroutes:\n  - name: r\n    paths: [/r]\n    service:\n      name: ghost\n',
    message: 'dangling reference: service "ghost"',
    path: 'routes[0].service',
    line: 6,
  },
  {
    name: 'consumer joining a group that does not exist',
    text: '_format_version: "3.0"\nconsumers:\n  - username: a\n    groups:\n      - name: gold\n',
    message: 'dangling reference: consumer_group "gold"',
    path: 'consumers[0].groups[0]',
    line: 5,
  },
  {
    name: 'key naming a missing key set',
    text: '_format_version: "3.0"\nkeys:\n  - name: k\n    kid: k\n    jwk: "{}"\n    set:\n      name: nope\n',
    message: 'dangling reference: set "nope"',
    line: 7,
  },
  {
    name: 'flat credential pointing at a missing consumer id',
    text: '_format_version: "3.0"\n_transform: false\nkeyauth_credentials:\n  - key: k\n    consumer: 4b8f2d6a-0c1e-4f3a-9b5d-7e9f1a3c5e70\n',
    message: 'dangling reference: consumer "4b8f2d6a-0c1e-4f3a-9b5d-7e9f1a3c5e70"',
    line: 5,
  },
  {
    name: 'flat target without an upstream',
    text: '_format_version: "3.0"\ntargets:\n  - target: a.internal:80\n',
    message: 'a targets entry needs a upstream',
    path: 'targets[0]',
    line: 3,
  },
  {
    name: 'duplicate ids',
    text: '_format_version: "3.0"\nservices:\n  - id: 1c5e9a3f-7b2d-4e6c-8a0f-3d5b7c9e1a42\n    name: a\n    host: a\n  - id: 1c5e9a3f-7b2d-4e6c-8a0f-3d5b7c9e1a42\n    name: b\n    host: b\n',
    message:
      'duplicate id 1c5e9a3f-7b2d-4e6c-8a0f-3d5b7c9e1a42: also used by the services entry at services[0]',
    path: 'services[1]',
    line: 6,
  },
  {
    name: 'duplicate service names',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    host: a\n  - name: a\n    host: b\n',
    message: 'duplicate services name "a"',
    path: 'services[1].name',
    line: 5,
  },
  {
    name: 'malformed YAML',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n   host: bad-indent\n',
    message: 'malformed YAML',
    line: 4,
  },
  {
    name: 'malformed JSON',
    text: '{\n  "_format_version": "3.0",\n  "services": [\n    { "name": "a", }\n  \n',
    message: 'malformed JSON',
    line: 4,
  },
  {
    name: 'duplicate keys in a mapping',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    name: b\n',
    message: 'malformed YAML: Map keys must be unique',
    line: 4,
  },
  {
    name: 'routes that are not a list',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    host: a\n    routes:\n      name: r\n',
    message: 'routes must be a list',
    path: 'services[0].routes',
    line: 6,
  },
  {
    name: 'a service entry that is not a mapping',
    text: '_format_version: "3.0"\nservices:\n  - just-a-name\n',
    message: 'each services entry must be a mapping',
    path: 'services[0]',
    line: 3,
  },
  {
    name: 'nested route contradicting its parent',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    host: a\n    routes:\n      - name: r\n        paths: [/]\n        service:\n          name: b\n  - name: b\n    host: b\n',
    message: 'service conflicts with the services entry this routes is nested under',
    line: 9,
  },
  {
    name: 'invalid service url',
    text: '_format_version: "3.0"\nservices:\n  - name: a\n    url: not a url\n',
    message: 'invalid url "not a url"',
    path: 'services[0].url',
    line: 4,
  },
  {
    name: 'a plugin _config naming no shared config',
    text: '_format_version: "3.0"\nplugins:\n  - name: cors\n    _config: missing\n',
    message: '_config "missing" names no entry of _plugin_configs',
    line: 4,
  },
  {
    name: 'an empty file',
    text: '# nothing here\n',
    message: 'the file is empty',
  },
  {
    name: 'unknown key in a JSON file, reported with its line',
    text: '{\n  "_format_version": "3.0",\n  "services": [\n    { "name": "a", "hots": "x" }\n  ]\n}\n',
    message: 'unknown key "hots" in services entry',
    path: 'services[0].hots',
    line: 4,
  },
  {
    name: 'a JSON file that is a list',
    text: '[{"_format_version": "3.0"}]',
    message: 'must be a mapping at the top level',
  },
  {
    name: 'a top-level list',
    text: '- name: a\n',
    message: 'must be a mapping at the top level',
    line: 1,
  },
];

describe('fromDeckFile refuses bad files with the problem and its place', () => {
  it.each(CASES)('$name', ({ text, message, path, line }) => {
    let caught: unknown;
    try {
      fromDeckFile(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DeckFileError);
    const err = caught as DeckFileError;
    expect(err.message).toContain(message);
    if (path !== undefined) {
      expect(err.path).toBe(path);
      expect(err.message).toContain(`at ${path}`);
    }
    if (line !== undefined) {
      expect(err.line).toBe(line);
      expect(err.message).toContain(`line ${line}`);
    }
  });
});
