// Registers the replication format (replication.config, secure.config, fan-out files) with the
// language service. The engine needs only this one; hosts that check every format load ./index.
import { registerModule } from '../service/languageService';
import { replicationModule } from '../replication';

registerModule('replication', replicationModule);
registerModule('fanout', replicationModule);
registerModule('secure', replicationModule);
