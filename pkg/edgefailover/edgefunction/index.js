'use strict';
// Lambda@Edge function of the failover distribution's default behaviour (origin request and
// origin response). The behaviour's origin group sends a request to the error bucket only when
// the main site failed it (5xx, no connection, timeout), so:
//   - a request bound for the bucket asks for the error page, whatever path the viewer asked for;
//   - the page comes back with the error status, and is not cached.
// Everything the main site answers, its own 403 and 404 included, passes through untouched.
// If the bucket answers anything but the page (403 for a page gone missing), a built-in page is
// sent instead, with the same status.
const PAGE = '{{.PagePath}}';
const STATUS = '{{.Status}}';
const STATUS_TEXT = '{{.StatusText}}';

// Headers that would make the bucket answer a part of the page (206) or refuse it (412), and
// that a function may remove. If-None-Match, If-Modified-Since, If-Range and If-Unmodified-Since
// are read-only in origin-request events: removing one fails CloudFront's validation, and the
// viewer gets a 502 ("Restrictions on all edge functions", CloudFront Developer Guide). The
// bucket's 304 or 412 for them gets the built-in page below instead.
const REMOVABLE = ['range', 'if-match'];

// FALLBACK is sent when the bucket does not answer the page itself (403 for a page that went
// missing, 304 or 412 for a conditional request), so that a failed request still gets a page
// with the error status.
const FALLBACK = '<!doctype html><html><head><meta charset="utf-8"><title>' + STATUS_TEXT +
  '</title></head><body><h1>' + STATUS_TEXT + '</h1><p>The site is unavailable. Please try again in a few minutes.</p></body></html>';

// boundForBucket: the request goes to the error bucket, which Lambda@Edge tells by its origin
// (request.origin.s3, in origin-request and origin-response events alike).
const boundForBucket = (request) => Boolean(request.origin && request.origin.s3);

exports.handler = async (event) => {
  const cf = event.Records[0].cf;
  const request = cf.request;
  if (cf.config.eventType === 'origin-request') {
    if (boundForBucket(request)) {
      request.uri = PAGE;
      request.querystring = '';
      for (const name of REMOVABLE) delete request.headers[name];
    }
    return request;
  }
  const response = cf.response;
  if (boundForBucket(request)) {
    if (response.status !== '200') {
      response.body = FALLBACK;
      response.bodyEncoding = 'text';
      response.headers['content-type'] = [{ key: 'Content-Type', value: 'text/html; charset=utf-8' }];
    }
    response.status = STATUS;
    response.statusDescription = STATUS_TEXT;
    response.headers['cache-control'] = [{ key: 'Cache-Control', value: 'no-store' }];
  }
  return response;
};
