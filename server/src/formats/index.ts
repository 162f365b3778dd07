// Every file format's LanguageModule, registered with the language service. Hosts (the LSP
// server, the CLI, the engine's site check) import the service through here, so the service
// layer itself imports no format.
import { registerModule } from '../service/languageService';
import { replicationModule } from '../replication';
import { gitoliteConfModule, gitoliteRcModule } from '../gitolite';

registerModule('replication', replicationModule);
registerModule('fanout', replicationModule);
registerModule('secure', replicationModule);
registerModule('gitolite-conf', gitoliteConfModule);
registerModule('gitolite-rc', gitoliteRcModule);

export { applySeverityOverrides, moduleFor, validate } from '../service/languageService';
