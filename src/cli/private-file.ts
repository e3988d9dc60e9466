/** The CLI reads key files (`--key-file`, `--credential-file`) through the config's private-file check. */
export { readPrivateFile } from '../config/index.ts';
