import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/services.lua */
export const services: KindDef = {
  kind: 'services',
  section: 'services',
  level: 2,
  naturalKey: ['name'],
  unique: [['name']],
  foreignKeys: [
    { field: 'client_certificate', references: 'certificates', onDelete: 'restrict', required: false },
    // an array of raw CA certificate ids; Kong refuses to delete a CA certificate still listed (code 19)
    {
      field: 'ca_certificates',
      references: 'ca_certificates',
      onDelete: 'restrict',
      required: false,
      array: true,
    },
  ],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags', 'ca_certificates'],
  defaults: {
    protocol: 'http',
    port: 80,
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    enabled: true,
  },
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'services',
  label: labelFrom('name', 'host'),
};
