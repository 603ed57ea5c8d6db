// @mad/webhooks: what senders and receivers of outbound webhooks share (decision 0017).
export { webhookPolicyEnvShape, webhookUrlPolicyOf } from "./env";
export {
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  webhookEventTypeSchema,
  type WebhookPayload,
  webhookPayloadSchema,
} from "./payload";
export {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  type WebhookHeaders,
  WebhookVerifyError,
} from "./signing";
export {
  checkEndpointUrl,
  EndpointUrlError,
  policyLookup,
  refusedAddressReason,
  type UrlPolicy,
} from "./url-policy";
