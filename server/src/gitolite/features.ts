// Editor features for gitolite files (filled in by completion/hover/navigation modules).
import type { LanguageModule } from '../service/types';

export const confFeatures: Partial<LanguageModule> = {};
export const rcFeatures: Partial<LanguageModule> = {};
