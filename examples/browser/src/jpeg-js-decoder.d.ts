// jpeg-js' decoder alone (the package index also bundles its encoder). Its types are the package's.
declare module 'jpeg-js/lib/decoder.js' {
  import { decode } from 'jpeg-js';
  export default decode;
}
