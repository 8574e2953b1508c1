import { t } from "../i18n.js";

export function CheckoffPage() {
  return <p class="muted">{t("loading")}</p>;
}
