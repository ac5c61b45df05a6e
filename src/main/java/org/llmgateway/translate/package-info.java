/**
 * Translation between conversation dialects behind the {@link org.llmgateway.upstream.Upstream}
 * seam: the client's body is translated before it is sent, the provider's answer (JSON, SSE events,
 * errors) on its way back, so the relay runs one attempt loop for every front door. One module per
 * dialect pair ({@link org.llmgateway.translate.MessagesOverChat}, {@link
 * org.llmgateway.translate.ChatOverMessages}, {@link org.llmgateway.translate.ChatOverGemini};
 * Messages over Gemini composes two). A request in the provider's own dialect is not translated at
 * all. A field the target cannot express is a 400 naming it ({@link
 * org.llmgateway.translate.Untranslatable}). May import config, error, routing and upstream.
 */
package org.llmgateway.translate;
