// The engine on the site an engine command names (./siteOption finds and reads it).
import { Engine, type EngineOptions } from '../engine/engine';
import { timeScaleFromEnv } from '../engine/queue/clock';
import { openSite, type Io } from './siteOption';

export type { Io } from './siteOption';

/** Open the engine, or print why not and return undefined (the caller exits 1). */
export function openEngine(flag: unknown, io: Io, opts: EngineOptions = {}): Engine | undefined {
  const site = openSite(flag, io);
  return site && new Engine(site, { timeScale: timeScaleFromEnv(), ...opts });
}
