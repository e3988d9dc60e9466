export { type AuthDecision, Authorizer } from './authorizer.ts';
export { COMMAND_ROLES, isUsergroupId, principalsFor, ROLES, roleIncludes, roleRank } from './roles.ts';
export {
  DEFAULT_USERGROUP_TTL_MS,
  UsergroupDirectory,
  type UsergroupDirectoryOptions,
} from './usergroups.ts';
