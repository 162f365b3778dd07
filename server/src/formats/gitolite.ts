// Registers the gitolite formats (gitolite.conf and conf/**/*.conf, .gitolite.rc) with the
// language service.
import { registerModule } from '../service/languageService';
import { gitoliteConfModule, gitoliteRcModule } from '../gitolite';

registerModule('gitolite-conf', gitoliteConfModule);
registerModule('gitolite-rc', gitoliteRcModule);
