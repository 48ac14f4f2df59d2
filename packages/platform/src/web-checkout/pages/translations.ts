// UI strings of the checkout page in the language of each country code the real UI supports
// (seed 004). Short, but real translations; `countryCode` picks the language.
import type { CheckoutCountryCode } from '@cardport/protocol';

export interface CheckoutStrings {
  title: string;
  amount: string;
  merchant: string;
  accountLabel: string;
  send: string;
  cancel: string;
  waiting: string;
  scan: string;
  verified: string;
  declined: string;
  canceled: string;
  redirecting: string;
  failed: string;
  noAccount: string;
}

type Language = 'en' | 'ar' | 'pt' | 'de' | 'fr' | 'it' | 'zhHant' | 'ru' | 'sv' | 'vi';

const strings: Record<Language, CheckoutStrings> = {
  en: {
    title: 'Pay with Samsung Pay',
    amount: 'Amount',
    merchant: 'Merchant',
    accountLabel: 'Samsung account (email)',
    send: 'Send payment request',
    cancel: 'Cancel',
    waiting: 'Open Samsung Wallet on your phone and approve the payment.',
    scan: 'Or scan this code with your wallet',
    verified: 'Verified',
    declined: 'The payment was declined in the wallet.',
    canceled: 'The payment was canceled.',
    redirecting: 'Returning to the shop…',
    failed: 'This checkout cannot start',
    noAccount: 'No Samsung account has this email.',
  },
  ar: {
    title: 'الدفع عبر Samsung Pay',
    amount: 'المبلغ',
    merchant: 'التاجر',
    accountLabel: 'حساب Samsung (البريد الإلكتروني)',
    send: 'إرسال طلب الدفع',
    cancel: 'إلغاء',
    waiting: 'افتح Samsung Wallet على هاتفك ووافق على الدفع.',
    scan: 'أو امسح هذا الرمز بمحفظتك',
    verified: 'تم التحقق',
    declined: 'تم رفض الدفع في المحفظة.',
    canceled: 'تم إلغاء الدفع.',
    redirecting: 'جارٍ العودة إلى المتجر…',
    failed: 'لا يمكن بدء عملية الدفع هذه',
    noAccount: 'لا يوجد حساب Samsung بهذا البريد الإلكتروني.',
  },
  pt: {
    title: 'Pagar com Samsung Pay',
    amount: 'Valor',
    merchant: 'Loja',
    accountLabel: 'Conta Samsung (e-mail)',
    send: 'Enviar pedido de pagamento',
    cancel: 'Cancelar',
    waiting: 'Abra o Samsung Wallet no seu celular e aprove o pagamento.',
    scan: 'Ou escaneie este código com a sua carteira',
    verified: 'Verificado',
    declined: 'O pagamento foi recusado na carteira.',
    canceled: 'O pagamento foi cancelado.',
    redirecting: 'Voltando para a loja…',
    failed: 'Este pagamento não pode ser iniciado',
    noAccount: 'Nenhuma conta Samsung tem este e-mail.',
  },
  de: {
    title: 'Mit Samsung Pay bezahlen',
    amount: 'Betrag',
    merchant: 'Händler',
    accountLabel: 'Samsung-Konto (E-Mail)',
    send: 'Zahlungsanfrage senden',
    cancel: 'Abbrechen',
    waiting: 'Öffnen Sie Samsung Wallet auf Ihrem Telefon und bestätigen Sie die Zahlung.',
    scan: 'Oder scannen Sie diesen Code mit Ihrem Wallet',
    verified: 'Bestätigt',
    declined: 'Die Zahlung wurde im Wallet abgelehnt.',
    canceled: 'Die Zahlung wurde abgebrochen.',
    redirecting: 'Zurück zum Shop…',
    failed: 'Dieser Bezahlvorgang kann nicht starten',
    noAccount: 'Kein Samsung-Konto hat diese E-Mail-Adresse.',
  },
  fr: {
    title: 'Payer avec Samsung Pay',
    amount: 'Montant',
    merchant: 'Marchand',
    accountLabel: 'Compte Samsung (e-mail)',
    send: 'Envoyer la demande de paiement',
    cancel: 'Annuler',
    waiting: 'Ouvrez Samsung Wallet sur votre téléphone et approuvez le paiement.',
    scan: 'Ou scannez ce code avec votre portefeuille',
    verified: 'Vérifié',
    declined: 'Le paiement a été refusé dans le portefeuille.',
    canceled: 'Le paiement a été annulé.',
    redirecting: 'Retour à la boutique…',
    failed: 'Ce paiement ne peut pas commencer',
    noAccount: 'Aucun compte Samsung ne correspond à cet e-mail.',
  },
  it: {
    title: 'Paga con Samsung Pay',
    amount: 'Importo',
    merchant: 'Esercente',
    accountLabel: 'Account Samsung (e-mail)',
    send: 'Invia richiesta di pagamento',
    cancel: 'Annulla',
    waiting: 'Apri Samsung Wallet sul telefono e approva il pagamento.',
    scan: 'Oppure scansiona questo codice con il tuo wallet',
    verified: 'Verificato',
    declined: 'Il pagamento è stato rifiutato nel wallet.',
    canceled: 'Il pagamento è stato annullato.',
    redirecting: 'Ritorno al negozio…',
    failed: 'Questo pagamento non può iniziare',
    noAccount: 'Nessun account Samsung ha questa e-mail.',
  },
  zhHant: {
    title: '使用 Samsung Pay 付款',
    amount: '金額',
    merchant: '商戶',
    accountLabel: 'Samsung 帳戶（電郵）',
    send: '傳送付款要求',
    cancel: '取消',
    waiting: '請在手機上開啟 Samsung Wallet 並確認付款。',
    scan: '或用您的錢包掃描此代碼',
    verified: '已驗證',
    declined: '付款已在錢包中被拒絕。',
    canceled: '付款已取消。',
    redirecting: '正在返回商店…',
    failed: '無法開始此付款',
    noAccount: '沒有使用此電郵的 Samsung 帳戶。',
  },
  ru: {
    title: 'Оплата через Samsung Pay',
    amount: 'Сумма',
    merchant: 'Продавец',
    accountLabel: 'Аккаунт Samsung (e-mail)',
    send: 'Отправить запрос на оплату',
    cancel: 'Отмена',
    waiting: 'Откройте Samsung Wallet на телефоне и подтвердите оплату.',
    scan: 'Или отсканируйте этот код кошельком',
    verified: 'Подтверждено',
    declined: 'Оплата отклонена в кошельке.',
    canceled: 'Оплата отменена.',
    redirecting: 'Возвращаемся в магазин…',
    failed: 'Эту оплату невозможно начать',
    noAccount: 'Нет аккаунта Samsung с таким e-mail.',
  },
  sv: {
    title: 'Betala med Samsung Pay',
    amount: 'Belopp',
    merchant: 'Handlare',
    accountLabel: 'Samsung-konto (e-post)',
    send: 'Skicka betalningsbegäran',
    cancel: 'Avbryt',
    waiting: 'Öppna Samsung Wallet i telefonen och godkänn betalningen.',
    scan: 'Eller skanna koden med din plånbok',
    verified: 'Verifierad',
    declined: 'Betalningen nekades i plånboken.',
    canceled: 'Betalningen avbröts.',
    redirecting: 'Tillbaka till butiken…',
    failed: 'Den här betalningen kan inte starta',
    noAccount: 'Inget Samsung-konto har den här e-postadressen.',
  },
  vi: {
    title: 'Thanh toán bằng Samsung Pay',
    amount: 'Số tiền',
    merchant: 'Người bán',
    accountLabel: 'Tài khoản Samsung (email)',
    send: 'Gửi yêu cầu thanh toán',
    cancel: 'Hủy',
    waiting: 'Mở Samsung Wallet trên điện thoại và xác nhận thanh toán.',
    scan: 'Hoặc quét mã này bằng ví của bạn',
    verified: 'Đã xác minh',
    declined: 'Thanh toán đã bị từ chối trong ví.',
    canceled: 'Thanh toán đã bị hủy.',
    redirecting: 'Đang quay lại cửa hàng…',
    failed: 'Không thể bắt đầu thanh toán này',
    noAccount: 'Không có tài khoản Samsung nào dùng email này.',
  },
};

const languageOf: Record<CheckoutCountryCode, { language: Language; htmlLang: string; rtl?: boolean }> = {
  en_ae: { language: 'en', htmlLang: 'en-AE' },
  ae_ae: { language: 'ar', htmlLang: 'ar-AE', rtl: true },
  au: { language: 'en', htmlLang: 'en-AU' },
  br: { language: 'pt', htmlLang: 'pt-BR' },
  de_ch: { language: 'de', htmlLang: 'de-CH' },
  en_ch: { language: 'en', htmlLang: 'en-CH' },
  fr_ch: { language: 'fr', htmlLang: 'fr-CH' },
  it_ch: { language: 'it', htmlLang: 'it-CH' },
  hk: { language: 'zhHant', htmlLang: 'zh-HK' },
  my: { language: 'en', htmlLang: 'en-MY' },
  ru: { language: 'ru', htmlLang: 'ru-RU' },
  se: { language: 'sv', htmlLang: 'sv-SE' },
  sg: { language: 'en', htmlLang: 'en-SG' },
  tw: { language: 'zhHant', htmlLang: 'zh-TW' },
  uk: { language: 'en', htmlLang: 'en-GB' },
  us: { language: 'en', htmlLang: 'en-US' },
  vn: { language: 'vi', htmlLang: 'vi-VN' },
};

export interface CheckoutLocale {
  strings: CheckoutStrings;
  /** BCP 47 tag for `<html lang>`. */
  htmlLang: string;
  dir: 'ltr' | 'rtl';
}

/** The page language of a country code (English for none). */
export function checkoutLocale(countryCode: CheckoutCountryCode | null | undefined): CheckoutLocale {
  const entry = languageOf[countryCode ?? 'us'];
  return { strings: strings[entry.language], htmlLang: entry.htmlLang, dir: entry.rtl ? 'rtl' : 'ltr' };
}
