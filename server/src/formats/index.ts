// Every file format's LanguageModule, registered with the language service. Hosts (the LSP
// server, `check`, tests) import the service through here, so the service layer itself imports
// no format.
import './replication';
import './gitolite';

export { moduleFor, validate, validateSteps } from '../service/languageService';
