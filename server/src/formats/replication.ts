// Registers the replication format (replication.config, secure.config, fan-out files) with the
// language service. The engine needs only this one; hosts that check every format load ./index.
// Every feature reads only inside the file's Gerrit site (the directory holding etc/).
import { confinedModule, registerModule } from '../service/languageService';
import type { ServiceContext } from '../service/types';
import { classifyFile } from '../service/fileKinds';
import { replicationModule } from '../replication';
import { siteLayout, siteRootOf } from '../replication/siteLayout';

/** The Gerrit site a replication file belongs to: $site for $site/etc/…, else the file's own directory. */
export function replicationSiteRoot(path: string, kind = classifyFile(path)): string {
  return siteRootOf(siteLayout(path, kind === 'fanout' ? 'fanout' : kind === 'secure' ? 'secure' : 'replication').etcDir);
}

const confined = confinedModule(replicationModule, (ctx: ServiceContext) => ({ dirs: [replicationSiteRoot(ctx.path, ctx.kind ?? classifyFile(ctx.path))] }));

registerModule('replication', confined);
registerModule('fanout', confined);
registerModule('secure', confined);
