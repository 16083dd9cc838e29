/** The words the seed draws from: company names, contacts, product lines, comments, terms. */
import type { Stage } from '../domain/stages.ts';
import { Weighted } from './rng.ts';

export const LATIN_STEMS = [
  'Nord', 'Süd', 'Alpen', 'Atlas', 'Baltic', 'Blue', 'Bright', 'Carpath', 'Cedar', 'Crystal', 'Danube', 'Delta', 'Eagle', 'Euro', 'Falcon', 'Fjord',
  'Golden', 'Granite', 'Green', 'Harbor', 'Helix', 'Iron', 'Krone', 'Lake', 'Lumen', 'Maple', 'Meridian', 'Nova', 'Oak', 'Orion', 'Pacific', 'Polar',
  'Prime', 'Quantum', 'Rhein', 'Rock', 'Silver', 'Solar', 'Stern', 'Summit', 'Terra', 'Titan', 'Vertex', 'Viking', 'Vista', 'West', 'Zenith', 'Adria',
  'Aegean', 'Balkan', 'Elbe', 'Fox', 'Hansa', 'Isar', 'Jade', 'Kestrel', 'Linden', 'Mosel', 'Neckar', 'Odin', 'Pine', 'Riva', 'Sava', 'Tauern',
  'Ural', 'Vardar', 'Weser', 'Birch', 'Coral', 'Dover', 'Ember', 'Frost', 'Gale', 'Haven', 'Ivory', 'Juniper', 'Kappa', 'Lyra', 'Mistral', 'Nimbus',
] as const;
export const LATIN_ENDINGS = [
  'wind', 'stein', 'gate', 'line', 'tech', 'werk', 'port', 'field', 'bridge', 'stone', 'way', 'mark', 'haus', 'berg', 'feld', 'dorf', 'land', 'star',
  'wave', 'point', 'ridge', 'crest', 'forge', 'light', 'works', 'vale', 'well', 'gard', 'holm', 'sund',
] as const;
export const LATIN_SECTORS = [
  'Logistics', 'Bau', 'Systems', 'Foods', 'Energy', 'Textiles', 'Pharma', 'Metall', 'Trading', 'Consulting', 'Software', 'Automotive', 'Chemie',
  'Solutions', 'Industries', 'Plastics', 'Robotics', 'Medical', 'Retail', 'Agrar', 'Elektro', 'Maschinenbau', 'Packaging', 'Analytics', 'Networks',
  'Steel', 'Timber', 'Glass', 'Paper', 'Marine', 'Aviation', 'Optics', 'Dental', 'Hydraulics', 'Coatings', 'Ceramics', 'Fasteners', 'Security',
  'Media', 'Print',
] as const;
export const LATIN_FORMS = new Weighted<string>([
  ['GmbH', 20], ['Ltd', 15], ['AG', 6], ['GmbH & Co. KG', 4], ['LLC', 6], ['Inc.', 5], ['S.A.', 6], ['S.R.L.', 6], ['B.V.', 7], ['Oy', 3], ['AB', 4],
  ['A/S', 3], ['s.r.o.', 5], ['Kft.', 3], ['d.o.o.', 4], ['Sp. z o.o.', 4], ['SAS', 3], ['PLC', 2],
]);

export const CYR_STEMS = [
  'Елит', 'Балкан', 'Агро', 'Техно', 'Мега', 'Нова', 'Витоша', 'Пирин', 'Родопи', 'Тракия', 'Дунав', 'Марица', 'Струма', 'Искър', 'Янтра', 'Черно море',
  'Стара планина', 'Рила', 'Странджа', 'Златен', 'Сребърен', 'Бял', 'Евро', 'Интер', 'Глобал', 'Синерджи', 'Вектор', 'Орион', 'Алфа', 'Бета', 'Делта',
  'Омега', 'Хелиос', 'Атлас', 'Феникс', 'Сокол', 'Орел', 'Лъв', 'Явор', 'Бор', 'Дъб', 'Кедър', 'Зора', 'Изгрев', 'Слънце', 'Арда', 'Тунджа',
  'Камчия', 'Осогово', 'Беласица', 'Сакар', 'Мусала', 'Плиска', 'Преслав', 'Одесос', 'Сердика', 'Филипопол', 'Марково', 'Капитал', 'Перла', 'Вихрен',
  'Емона', 'Калиакра', 'Шипка', 'Мадара', 'Рубин', 'Топаз', 'Кристал', 'Прима', 'Фокус',
] as const;
export const CYR_SECTORS = [
  'Строй', 'Трейд', 'Инвест', 'Транс', 'Логистик', 'Консулт', 'Фарм', 'Металс', 'Текстил', 'Енерджи', 'Фуудс', 'Агро', 'Тех', 'Софт', 'Пласт', 'Хим',
  'Мебел', 'Принт', 'Медикал', 'Електрик', 'Сервиз', 'Имоти', 'Дизайн', 'Маркет', 'Комерс', 'Инженеринг', 'Бетон', 'Стъкло', 'Хартия', 'Авто',
  'Вин', 'Млечни продукти', 'Хидравлика', 'Климатик', 'Сигурност',
] as const;
export const CYR_THIRD = ['Груп', 'Холдинг', 'България', '2000', '97', 'Плюс', 'Про', 'Юг', 'Север', 'Изток', 'Запад', 'Инвест', 'Експорт', 'Интернешънъл'] as const;
export const CYR_FORMS = new Weighted<string>([['ЕООД', 45], ['ООД', 35], ['АД', 12], ['ЕАД', 8]]);

export const LATIN_FIRST = ['Anna', 'Lukas', 'Sophie', 'Jonas', 'Emma', 'Marco', 'Elena', 'Piotr', 'Katarina', 'Jan', 'Laura', 'Tomas', 'Ingrid', 'Mateo', 'Clara', 'Henrik', 'Noor', 'David', 'Eva', 'Oliver'] as const;
export const LATIN_LAST = ['Weber', 'Schmidt', 'Rossi', 'Novak', 'Jansen', 'Dubois', 'Kowalski', 'Horvat', 'Nielsen', 'Berg', 'Fischer', 'Costa', 'Meyer', 'Lindqvist', 'Varga', 'Smith', 'Brown', 'Moreau', 'Keller', 'Popescu'] as const;
export const BG_FIRST = ['Иван', 'Мария', 'Георги', 'Елена', 'Димитър', 'Петя', 'Николай', 'Десислава', 'Стоян', 'Виктория', 'Христо', 'Радостина', 'Калин', 'Теодора', 'Борислав', 'Надежда'] as const;
export const BG_LAST = ['Петров', 'Иванов', 'Георгиев', 'Димитров', 'Стоянов', 'Николов', 'Тодоров', 'Илиев', 'Христов', 'Колев', 'Ангелов', 'Маринов', 'Попов', 'Костов'] as const;
export const PHONE_PREFIX = ['+49 171', '+44 20 7946', '+43 664', '+31 6', '+39 347', '+48 601', '+420 602', '+36 30', '+46 70', '+1 415 555'] as const;

export interface Line {
  name: string;
  kind: 'goods' | 'services';
  /** Typical invoice in EUR (major units). */
  price: number;
  margin: number;
  unit: string;
}

/** ~30 product lines, stored lower-case as the app stores them. */
export const LINES: readonly Line[] = [
  { name: 'steel beams', kind: 'goods', price: 9000, margin: 0.12, unit: 't' },
  { name: 'rebar', kind: 'goods', price: 6000, margin: 0.1, unit: 't' },
  { name: 'cement', kind: 'goods', price: 3500, margin: 0.09, unit: 't' },
  { name: 'insulation panels', kind: 'goods', price: 4200, margin: 0.18, unit: 'm²' },
  { name: 'roof tiles', kind: 'goods', price: 2800, margin: 0.16, unit: 'pallets' },
  { name: 'office furniture', kind: 'goods', price: 3800, margin: 0.28, unit: 'sets' },
  { name: 'spare parts', kind: 'goods', price: 900, margin: 0.35, unit: 'pcs' },
  { name: 'hydraulic pumps', kind: 'goods', price: 5200, margin: 0.22, unit: 'pcs' },
  { name: 'electrical cabling', kind: 'goods', price: 2100, margin: 0.17, unit: 'km' },
  { name: 'led lighting', kind: 'goods', price: 1600, margin: 0.3, unit: 'pcs' },
  { name: 'solar panels', kind: 'goods', price: 12000, margin: 0.14, unit: 'kWp' },
  { name: 'packaging', kind: 'goods', price: 700, margin: 0.2, unit: 'pallets' },
  { name: 'pallets', kind: 'goods', price: 500, margin: 0.15, unit: 'pcs' },
  { name: 'fertiliser', kind: 'goods', price: 4800, margin: 0.11, unit: 't' },
  { name: 'animal feed', kind: 'goods', price: 3100, margin: 0.1, unit: 't' },
  { name: 'coffee', kind: 'goods', price: 450, margin: 0.38, unit: 'kg' },
  { name: 'bottled water', kind: 'goods', price: 300, margin: 0.25, unit: 'pallets' },
  { name: 'cleaning supplies', kind: 'goods', price: 400, margin: 0.32, unit: 'boxes' },
  { name: 'safety equipment', kind: 'goods', price: 1100, margin: 0.27, unit: 'sets' },
  { name: 'строителни материали', kind: 'goods', price: 2600, margin: 0.13, unit: 't' },
  { name: 'pvc дограма', kind: 'goods', price: 3300, margin: 0.24, unit: 'pcs' },
  { name: 'it support', kind: 'services', price: 1500, margin: 0.42, unit: 'months' },
  { name: 'cloud hosting', kind: 'services', price: 800, margin: 0.45, unit: 'months' },
  { name: 'freight forwarding', kind: 'services', price: 1900, margin: 0.08, unit: 'loads' },
  { name: 'consulting', kind: 'services', price: 4500, margin: 0.4, unit: 'days' },
  { name: 'maintenance', kind: 'services', price: 1200, margin: 0.33, unit: 'months' },
  { name: 'forklift rental', kind: 'services', price: 950, margin: 0.29, unit: 'months' },
  { name: 'software licences', kind: 'services', price: 2400, margin: 0.6, unit: 'seats' },
  { name: 'training', kind: 'services', price: 1300, margin: 0.36, unit: 'days' },
  { name: 'счетоводни услуги', kind: 'services', price: 600, margin: 0.41, unit: 'months' },
];

export const LOST_REASONS = [
  'went with a competitor', 'price too high', 'no budget this year', 'project postponed', 'no answer after the proposal', 'chose an in-house solution',
  'payment terms not acceptable', 'contract rejected by legal', 'избраха конкурент', 'твърде висока цена', 'проектът е отложен',
] as const;
export const CHANGE_COMMENTS = ['Net 60 is too long for this client; please use net 30.', 'Add a penalty clause for late delivery.', 'The discount needs a volume commitment.', 'Liability cap missing.'] as const;
export const REJECT_COMMENTS = ['Client is on the sanctions watch list.', 'Credit check failed.', 'Terms conflict with our framework agreement.'] as const;
export const SETTLEMENT = ['bank transfer', 'bank transfer, 30% advance', 'bank transfer, 50% advance', 'letter of credit', 'bank transfer in instalments'] as const;
export const DELIVERY = ['DAP Sofia', 'EXW Plovdiv', 'FCA Varna', 'DDP Munich', 'on site', 'CPT Vienna', 'remote'] as const;
export const AFTER_SALES = ['12-month warranty', '24-month warranty', 'on-site service within 48 h', null, null] as const;
export const REF_PREFIX = ['SEPA-', 'BNK-', 'TRF-', 'SWIFT-'] as const;

export const CURRENCIES = ['EUR', 'BGN', 'USD'] as const;
export const FX = [1, 1.95583, 1.08];
export const NETS = [0, 14, 30, 30, 30, 45, 60] as const;

export const STAGE_ORDER: Stage[] = ['lead', 'qualified', 'proposal', 'contract', 'delivery', 'payment', 'won'];
