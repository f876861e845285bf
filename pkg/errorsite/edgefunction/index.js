'use strict';
// Lambda@Edge function of the failover distribution's default behaviour (origin request and
// origin response). The behaviour's origin group sends a request to the error bucket only when
// the main site failed it (5xx, no connection, timeout), so:
//   - a request bound for the bucket asks for the error page, whatever path the viewer asked for;
//   - the page comes back with the error status, and is not cached.
// Everything the main site answers, its own 403 and 404 included, passes through untouched.
const PAGE = '{{.PagePath}}';
const STATUS = '{{.Status}}';
const STATUS_TEXT = '{{.StatusText}}';

exports.handler = async (event) => {
  const cf = event.Records[0].cf;
  if (cf.config.eventType === 'origin-request') {
    const request = cf.request;
    if (request.origin && request.origin.s3) {
      request.uri = PAGE;
      request.querystring = '';
    }
    return request;
  }
  const response = cf.response;
  if (cf.request.uri === PAGE) {
    response.status = STATUS;
    response.statusDescription = STATUS_TEXT;
    response.headers['cache-control'] = [{ key: 'Cache-Control', value: 'no-store' }];
  }
  return response;
};
