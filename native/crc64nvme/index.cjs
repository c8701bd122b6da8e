// The compiled addon (build/Release/crc64nvme.node): loading throws when it was not built.
module.exports = require('./build/Release/crc64nvme.node');
