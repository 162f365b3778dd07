// Defaults and floors of the keys the engine reads, taken from the key catalog
// (schemas/replication.catalog.json) so they are written down once. FALLBACK only covers keys
// the catalog does not list yet; a key found in the catalog always wins.
import { REPLICATION_CATALOG, findKey, findSection } from '../catalog/catalog';

const FALLBACK: Record<string, { default: unknown; floor?: number }> = {
  'gerrit.replicateonstartup': { default: false },
  'gerrit.defaultforceupdate': { default: false },
  'gerrit.maxrefstoshow': { default: 2 },
  'gerrit.pushbatchsize': { default: 0, floor: 0 },
  'replication.updatereferrormaxretries': { default: 0 },
  'replication.lockerrormaxretries': { default: 0 },
  'replication.maxretries': { default: 0 },
  'replication.distributioninterval': { default: 0 },
  'remote.replicationdelay': { default: 15, floor: 0 },
  'remote.rescheduledelay': { default: 3, floor: 3 },
  'remote.replicationretry': { default: 1, floor: 0 },
  'remote.threads': { default: 1, floor: 0 },
  'remote.timeout': { default: 0 },
  'remote.drainqueueattempts': { default: 0, floor: 0 },
  'remote.createmissingrepositories': { default: true },
  'remote.replicatepermissions': { default: true },
  'remote.replicateprojectdeletions': { default: false },
  'remote.mirror': { default: false },
  'remote.remotenamestyle': { default: 'slash' },
  'remote.replicatenotedbmetarefs': { default: true },
  'remote.pushbatchsize': { default: 0, floor: 0 },
};

export function keyDefault(section: string, key: string): { default: unknown; floor?: number } {
  const s = findSection(REPLICATION_CATALOG, section);
  const k = s ? findKey(s, key) : undefined;
  const fb = FALLBACK[`${section}.${key}`.toLowerCase()];
  if (k && k.default !== undefined) return { default: k.default, floor: k.floor ?? fb?.floor };
  if (fb) return fb;
  return { default: undefined };
}
