/** CRC-64/NVME of data, continuing from `previous` (the value for the bytes before it; 0n to start). */
export declare function crc64(data: ArrayBufferView, previous?: bigint): bigint;
/** The same with the slice-by-8 table only, whatever the CPU offers. */
export declare function crc64Table(data: ArrayBufferView, previous?: bigint): bigint;
/** The instructions crc64 uses: 'pclmulqdq', or 'none' (the table). */
export declare const simd: 'pclmulqdq' | 'none';
